from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from ccc.exceptions import Conflict
from ccc.permissions import Action, allowed, can
from ccc.web import add_service_errors
from referrals import selectors, services
from referrals.forms import PatientForm, PatientSearchForm, ReferralForm
from triage import services as triage_services


@allowed(Action.REFERRAL_CREATE)
def patient_find(request):
    """Step 1 of a referral: find the person, so nobody is recorded twice."""
    form = PatientSearchForm(request.GET or None)
    patients = None
    if form.is_bound and form.is_valid():
        patients = list(
            selectors.patient_search(
                nhs_number=form.cleaned_data["nhs_number"],
                name=form.cleaned_data["name"],
                date_of_birth=form.cleaned_data["date_of_birth"],
            )
        )
    return render(request, "referrals/patient_find.html", {"form": form, "patients": patients})


@allowed(Action.PATIENT_CREATE)
def patient_create(request):
    form = PatientForm(request.POST or None, initial=request.GET.dict())
    if request.method == "POST" and form.is_valid():
        try:
            patient = services.patient_create(created_by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{patient.full_name} added")
            return redirect("referrals:referral_create", patient_id=patient.public_id)
    return render(request, "referrals/patient_form.html", {"form": form})


@allowed(Action.REFERRAL_CREATE)
def referral_create(request, patient_id):
    patient = selectors.patient_get(public_id=patient_id)
    form = ReferralForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        key = data.pop("submission_key")
        try:
            referral, created = services.referral_create(
                received_by=request.user, idempotency_key=key, patient=patient, **data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        except Conflict as error:
            form.add_error(None, str(error))
        else:
            if created:
                messages.success(
                    request, f"Referral {referral.reference} recorded and sent to {referral.queue_item.queue}"
                )
            else:
                messages.info(request, f"Referral {referral.reference} was already recorded: it has not been sent twice")
            return redirect("referrals:referral_detail", referral_id=referral.public_id)
    return render(request, "referrals/referral_form.html", {"form": form, "patient": patient})


@allowed(Action.REFERRAL_VIEW)
def referral_list(request):
    referrals = selectors.referral_list(fetched_by=request.user)[:100]
    return render(request, "referrals/referral_list.html", {"referrals": referrals})


@allowed(Action.REFERRAL_VIEW)
def referral_detail(request, referral_id):
    referral = selectors.referral_get(public_id=referral_id, fetched_by=request.user)
    item = referral.queue_item
    decisions = list(item.decisions.all())
    for decision in decisions:
        # Sensitive notes: shown to clinical roles only, each showing logged (triage.services).
        decision.visible_note = triage_services.sensitive_note_read(decision=decision, reader=request.user)
    context = {
        "referral": referral,
        "item": item,
        "decisions": decisions,
        "timeline": list(referral.timeline.all()),
        "can_claim": item.status == item.Status.WAITING and can(request.user, Action.QUEUE_ITEM_CLAIM, item),
        "can_triage": item.status == item.Status.CLAIMED
        and item.claimed_by_id == request.user.pk
        and can(request.user, Action.QUEUE_ITEM_TRIAGE, item),
    }
    return render(request, "referrals/referral_detail.html", context)
