from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from ccc.access_log import Kind as AccessKind
from ccc.access_log import access_viewed
from ccc.lists import list_page
from ccc.permissions import Action, allowed, can, require
from ccc.web import form_call
from directory import selectors as directory_selectors
from directory import signposting_targets
from referrals import selectors, services
from referrals.forms import (
    ContactAmendForm,
    ContactForm,
    ContactSearchForm,
    PatientForm,
    PatientSearchForm,
    ReferralForm,
    SignpostForm,
)
from referrals.forms_new_patient import new_patient_initial, new_patient_query
from referrals.journey import journeys
from referrals.models import Contact
from referrals.tracking import tracking_facts
from triage import selectors as triage_selectors


def _contact_from(request, action: Action = Action.CONTACT_LOG) -> Contact | None:
    """The contact a referral is being raised from (?contact=...), carried from page to page."""
    contact_id = request.GET.get("contact") or request.POST.get("contact")
    if not contact_id:
        return None
    require(request.user, action)
    try:
        contact = selectors.contact_get(public_id=contact_id, fetched_by=request.user)
    except ValidationError:
        raise Http404 from None
    return selectors.contact_current(thread_id=contact.thread_id)


def _with_contact(url: str, contact: Contact | None) -> str:
    return f"{url}?{urlencode({'contact': contact.public_id})}" if contact else url


@allowed(Action.REFERRAL_CREATE)
def patient_find(request):
    """Step 1 of a referral: find the person, so nobody is recorded twice."""
    contact = _contact_from(request)
    form = PatientSearchForm(request.GET.copy() if set(request.GET) - {"contact"} else None)
    patients = None
    if form.is_bound and form.is_valid():
        patients = selectors.patient_find(
            nhs_number=form.cleaned_data["nhs_number"],
            name=form.cleaned_data["name"],
            date_of_birth=form.cleaned_data["date_of_birth"],
            postcode=form.cleaned_data["postcode"],
            fetched_by=request.user,
        )
    context = {"form": form, "patients": patients, "contact": contact}
    if patients is not None:  # "Add a new patient" carries what was typed into the new patient's form
        context["new_patient_query"] = new_patient_query(form.cleaned_data, contact)
    return render(request, "referrals/patient_find.html", context)


@allowed(Action.PATIENT_CREATE)
def patient_create(request):
    contact = _contact_from(request)
    form = PatientForm(request.POST or None, initial=new_patient_initial(request.GET))
    duplicates = []
    mismatches = []

    def create():
        try:
            return services.patient_create(actor=request.user, **form.cleaned_data)
        except services.ProbableDuplicatePatient as error:
            duplicates.extend(error.patients)  # shown so the call handler can check it is not them
            raise
        except services.PatientIdentityMismatch as error:
            mismatches.append(error)  # both people side by side; the user picks the record or fixes the number
            raise

    if request.method == "POST" and form.is_valid():
        ok, patient = form_call(form, create)
        if ok:
            messages.success(request, f"{patient.full_name} added")
            return redirect(_with_contact(reverse("referrals:referral_create", args=[patient.public_id]), contact))
    mismatch = mismatches[0] if mismatches else None
    context = {"form": form, "duplicates": duplicates, "contact": contact, "mismatch": mismatch}
    if mismatch:
        context["use_recorded_url"] = _with_contact(
            reverse("referrals:referral_create", args=[mismatch.known.public_id]), contact
        )
    return render(request, "referrals/patient_form.html", context)


@allowed(Action.REFERRAL_CREATE)
def referral_create(request, patient_id):
    patient = selectors.patient_get(public_id=patient_id, fetched_by=request.user)
    contact = _contact_from(request)
    initial = {}
    if contact:
        initial = {
            "referrer_type": contact.caller_type,
            "referrer_name": contact.caller_name,
            "referrer_organisation": contact.caller_organisation,
            "referrer_phone": contact.caller_phone,
            "referring_practice": selectors.contact_practice(contact=contact, fetched_by=request.user),
            "reason": contact.reason,
        }
    form = ReferralForm(request.POST or None, initial=initial)
    open_in_queue = []
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        key = data.pop("submission_key")
        proceed = data.pop("proceed_despite_open")
        open_in_queue = [
            other
            for other in selectors.open_referrals_in_queue(patient=patient, need=data["need"], fetched_by=request.user)
            if other.idempotency_key != key  # a resend of this very form is not "another" referral
        ]
        if open_in_queue and not proceed:
            # Warn once; the call handler may still go on (the hidden field says they saw it).
            form.data = form.data.copy()
            form.data["proceed_despite_open"] = "on"
            return render(
                request,
                "referrals/referral_form.html",
                {"form": form, "patient": patient, "contact": contact, "open_in_queue": open_in_queue},
            )
        if contact:
            ok, made = form_call(form, lambda: services.referral_create_from_contact(
                contact=contact, actor=request.user, idempotency_key=key, patient=patient, **data
            )[:2])
        else:
            ok, made = form_call(form, lambda: services.referral_create(
                actor=request.user, idempotency_key=key, patient=patient, **data
            ))
        if ok:
            referral, created = made
            if created:
                messages.success(
                    request, f"Referral {referral.reference} recorded and sent to {referral.queue_item.queue}"
                )
                if referral.allocation_warning:
                    messages.warning(request, referral.allocation_warning)
            else:
                messages.info(request, f"Referral {referral.reference} was already recorded: it has not been sent twice")
            return redirect("referrals:referral_detail", referral_id=referral.public_id)
    open_referrals = list(selectors.open_referrals(patient=patient, fetched_by=request.user))
    return render(
        request,
        "referrals/referral_form.html",
        {
            "form": form,
            "patient": patient,
            "contact": contact,
            "open_in_queue": open_in_queue,
            "open_referrals": open_referrals,
        },
    )


@allowed(Action.REFERRAL_VIEW)
def referral_list(request):
    referrals = list_page(request, selectors.referral_list(fetched_by=request.user))
    return render(request, "referrals/referral_list.html", {"referrals": referrals})


@allowed(Action.REFERRAL_VIEW)
def referral_detail(request, referral_id):
    referral = selectors.referral_get(public_id=referral_id, fetched_by=request.user)
    access_viewed(request, kind=AccessKind.REFERRAL, record_id=referral.public_id, patient_id=referral.patient_id)
    item = referral.queue_item
    # Sensitive notes: shown to clinical roles only, each showing logged (triage.selectors).
    decisions = triage_selectors.decisions_for_reader(item=item, fetched_by=request.user)
    context = {
        "referral": referral,
        "item": item,
        "decisions": decisions,
        "timeline": list(referral.timeline.all()),
        "can_claim": item.status == item.Status.WAITING and can(request.user, Action.QUEUE_ITEM_CLAIM, item),
        "can_triage": item.is_held_by(request.user) and can(request.user, Action.QUEUE_ITEM_TRIAGE, item),
        "can_book_transport": can(request.user, Action.TRANSPORT_BOOK),
        "can_schedule_call": can(request.user, Action.FOLLOW_UP_CALL_WORK),
        "signpost_url": signposting_targets.search_url(
            f"referral:{referral.public_id}", postcode=referral.patient.postcode, need_code=referral.need.code
        )
        if can(request.user, Action.SIGNPOSTING_RECORD)
        else "",
        "signpostings": directory_selectors.signpostings_for(referral=referral),
    }
    return render(request, "referrals/referral_detail.html", context)


# The front desk: the patient page, contacts, and tracking for referrers.


@allowed(Action.PATIENT_VIEW)
def patient_detail(request, patient_id):
    summary = selectors.patient_summary(public_id=patient_id, fetched_by=request.user)
    access_viewed(request, kind=AccessKind.PATIENT, record_id=summary.patient.public_id, patient_id=summary.patient.pk)
    context = {
        "summary": summary,
        "patient": summary.patient,
        "can_log": can(request.user, Action.CONTACT_LOG),
        "can_refer": can(request.user, Action.REFERRAL_CREATE),
        "can_schedule_call": can(request.user, Action.FOLLOW_UP_CALL_WORK),
        "can_book_transport": can(request.user, Action.TRANSPORT_BOOK),
        "can_edit_details": can(request.user, Action.PATIENT_DETAILS_EDIT),
        "can_merge": can(request.user, Action.PATIENT_MERGE),
        "details": selectors.patient_details(patient=summary.patient, fetched_by=request.user),
    }
    return render(request, "referrals/patient_detail.html", context)


@allowed(Action.CONTACT_VIEW)
def contact_list(request):
    form = ContactSearchForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_bound and form.is_valid() else ""
    rule = selectors.frequent_contact_rule()
    contacts = []
    if not form.errors:
        contacts = list_page(request, selectors.contact_list(fetched_by=request.user, query=query, rule=rule))
    context = {
        "form": form, "contacts": contacts, "rule": rule, "query": query,
        "pending": selectors.contacts_referral_pending(fetched_by=request.user),
    }
    return render(request, "referrals/contact_list.html", context)


@allowed(Action.CONTACT_LOG)
def contact_log(request):
    patient = None
    patient_id = request.GET.get("patient")
    if patient_id:
        try:
            patient = selectors.patient_get(public_id=patient_id, fetched_by=request.user)
        except ValidationError:
            raise Http404 from None
    form = ContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        key = data.pop("submission_key")
        ok, made = form_call(
            form, lambda: services.contact_log(actor=request.user, idempotency_key=key, patient=patient, **data)
        )
        if ok:
            contact, created = made
            if not created:
                messages.info(request, f"Contact {contact.reference} was already recorded: it has not been logged twice")
            elif contact.outcome == Contact.Outcome.REFERRAL_PENDING:
                messages.success(request, f"Contact {contact.reference} logged: now raise the referral")
                if contact.patient_id:
                    return redirect(_with_contact(reverse("referrals:referral_create", args=[patient.public_id]), contact))
                return redirect(_with_contact(reverse("referrals:patient_find"), contact))
            elif contact.outcome in Contact.CALL_BACK_OUTCOMES:
                request_made = contact.call_back_requests.get()
                due = timezone.localtime(request_made.due_at).strftime("%H:%M")
                messages.success(request, f"Contact {contact.reference} logged: on {request_made.team}'s call-back list, due by {due}")
            elif contact.outcome in Contact.SIGNPOSTING_OUTCOMES and not contact.signposted_to:
                # The next step for a "just to talk" caller: the directory button on the contact page.
                messages.success(request, f"Contact {contact.reference} logged: now signpost them to a directory service")
            else:
                messages.success(request, f"Contact {contact.reference} logged")
            return redirect("referrals:contact_detail", contact_id=contact.public_id)
    context = {"form": form, "patient": patient, **_desk_waiting(request.user)}
    return render(request, "referrals/contact_form.html", context)


# Beside the contact form, where a call handler lands: what is still waiting on the front desk.
DESK_LIST_LIMIT = 10


def _desk_waiting(user) -> dict:
    return {
        "pending": selectors.contacts_referral_pending(fetched_by=user, limit=DESK_LIST_LIMIT),
        "call_backs": list(selectors.call_back_list(fetched_by=user)[:DESK_LIST_LIMIT])
        if can(user, Action.CALL_BACK_VIEW)
        else [],
    }


@allowed(Action.CONTACT_VIEW)
def contact_detail(request, contact_id):
    contact = selectors.contact_get(public_id=contact_id, fetched_by=request.user)
    rule = selectors.frequent_contact_rule()
    related = selectors.contact_related(contact=contact)
    caller_recent, patient_recent = selectors.contact_recent_counts(contact=contact, rule=rule)
    context = {
        "caller_recent": caller_recent if caller_recent >= rule.min_contacts else 0,
        "patient_recent": patient_recent if patient_recent >= rule.min_contacts else 0,
        "contact": contact,
        "versions": selectors.contact_versions(contact=contact),
        "related": related,
        "rule": rule,
        "is_current": not hasattr(contact, "amended_by"),
        "current": None if not hasattr(contact, "amended_by") else selectors.contact_current(thread_id=contact.thread_id),
        "can_log": can(request.user, Action.CONTACT_LOG),
        "can_refer": can(request.user, Action.CONTACT_LOG) and can(request.user, Action.REFERRAL_CREATE),
        "signposting": contact.outcome in Contact.SIGNPOSTING_OUTCOMES,
        "signpostings": directory_selectors.signpostings_for(contact=contact),
        # Only the current version is signposted: the directory records against it and amends it.
        "directory_url": signposting_targets.contact_search_url(contact)
        if can(request.user, Action.SIGNPOSTING_RECORD) and not hasattr(contact, "amended_by")
        else "",
    }
    return render(request, "referrals/contact_detail.html", context)


def _to_current_version(request, contact: Contact):
    """A redirect to the current version when ``contact`` was corrected since; None when it is current."""
    if not hasattr(contact, "amended_by"):
        return None
    current = selectors.contact_current(thread_id=contact.thread_id)
    messages.warning(request, f"That version was corrected since: this is the current version of {contact.reference}")
    return redirect("referrals:contact_detail", contact_id=current.public_id)


@allowed(Action.CONTACT_LOG)
def contact_amend(request, contact_id):
    contact = selectors.contact_get(public_id=contact_id, fetched_by=request.user)
    if moved := _to_current_version(request, contact):
        return moved
    form = ContactAmendForm(request.POST or None, initial=_contact_initial(contact), linked=bool(contact.referral_id))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        key = data.pop("submission_key")
        reason = data.pop("amendment_reason")
        ok, made = form_call(form, lambda: services.contact_amend(
            contact=contact, actor=request.user, idempotency_key=key, amendment_reason=reason, **data
        ))
        if ok:
            amended, _ = made
            messages.success(request, f"Contact {amended.reference} corrected: the original is kept in its history")
            return redirect("referrals:contact_detail", contact_id=amended.public_id)
    return render(request, "referrals/contact_amend.html", {"form": form, "contact": contact})


def _contact_initial(contact: Contact) -> dict:
    initial = {field: getattr(contact, field) for field in ContactForm.Meta.fields}
    initial["started_at"] = contact.started_at
    return initial


@allowed(Action.CONTACT_LOG)
def contact_signpost(request, contact_id):
    contact = selectors.contact_get(public_id=contact_id, fetched_by=request.user)
    if moved := _to_current_version(request, contact):
        return moved
    form = SignpostForm(request.POST or None, initial={"signposted_to": contact.signposted_to})
    if request.method == "POST" and form.is_valid():
        ok, amended = form_call(form, lambda: services.contact_signpost(
            contact=contact,
            signposted_to=form.cleaned_data["signposted_to"],
            actor=request.user,
            idempotency_key=form.cleaned_data["submission_key"],
        ))
        if ok:
            messages.success(request, f"Signposted to {amended.signposted_to}")
            return redirect("referrals:contact_detail", contact_id=amended.public_id)
    return render(request, "referrals/contact_signpost.html", {"form": form, "contact": contact})


@allowed(Action.REFERRAL_TRACK)
def tracking_list(request):
    referrals = list_page(request, selectors.tracked_referral_list(fetched_by=request.user))
    rows = [(referral, tracking_facts(referral)) for referral in referrals]
    context = {"rows": rows, "page": referrals, "can_send": can(request.user, Action.REFERRAL_SEND)}
    return render(request, "referrals/tracking_list.html", context)


@allowed(Action.REFERRAL_TRACK)
def tracking_detail(request, referral_id):
    referral = selectors.tracked_referral_get(public_id=referral_id, fetched_by=request.user)
    facts = tracking_facts(referral)
    context = {
        "referral": referral,
        "facts": facts,
        "journey": journeys([referral])[referral.pk],
        "can_send_again": facts.stage == "returned" and can(request.user, Action.REFERRAL_SEND),
        "can_cancel": facts.cancellable and can(request.user, Action.REFERRAL_CANCEL, referral),
    }
    return render(request, "referrals/tracking_detail.html", context)
