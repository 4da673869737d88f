"""A GP practice or ward sends a referral from its browser, tracks it, and may cancel it before triage."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from ccc.permissions import Action, allowed, require
from ccc.web import form_call
from referrals import selectors, services
from referrals.forms_send import ReferralCancelForm, ReferralSendForm
from triage import services as triage_services


def _again_from(request) -> dict:
    """The fields of a returned referral the sender is sending again (?again=<id>), to correct."""
    again = request.GET.get("again")
    if not again:
        return {}
    try:
        returned = selectors.tracked_referral_get(public_id=again, fetched_by=request.user)
    except ValidationError:
        raise Http404 from None
    patient = returned.patient
    return {
        "nhs_number": patient.nhs_number, "given_name": patient.given_name, "family_name": patient.family_name,
        "date_of_birth": patient.date_of_birth.strftime("%d %m %Y"), "postcode": patient.postcode,
        "need": returned.need_id, "reason": returned.reason, "needs_description": returned.needs_description,
        "referrer_phone": returned.referrer_phone,
    }


@allowed(Action.REFERRAL_SEND)
def referral_send(request):
    form = ReferralSendForm(request.POST or None, initial=_again_from(request))
    if request.method == "POST" and form.is_valid():
        ok, made = form_call(form, lambda: services.referral_send(actor=request.user, **form.service_arguments()))
        if ok:
            referral, created = made
            if created:
                messages.success(request, f"Referral {referral.reference} sent to {referral.queue_item.queue}")
            else:
                messages.info(request, f"Referral {referral.reference} was already sent: it has not been sent twice")
            return redirect("referrals:tracking_detail", referral_id=referral.public_id)
    return render(request, "referrals/referral_send.html", {"form": form})


@allowed(Action.REFERRAL_CANCEL)
def referral_cancel(request, referral_id):
    """The referrer cancels their referral before triage, saying why; it leaves the duty queue."""
    referral = selectors.tracked_referral_get(public_id=referral_id, fetched_by=request.user)
    require(request.user, Action.REFERRAL_CANCEL, referral)
    form = ReferralCancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ok, made = form_call(
            form, lambda: triage_services.referral_cancel(referral=referral, actor=request.user, **form.cleaned_data)
        )
        if ok:
            if made[1]:
                messages.success(request, f"Referral {referral.reference} cancelled: it has left the duty queue")
            else:
                messages.info(request, f"Referral {referral.reference} was already cancelled")
            return redirect("referrals:tracking_detail", referral_id=referral.public_id)
    context = {
        "form": form, "title": f"Cancel referral {referral.reference}", "button": "Cancel referral",
        "caption": f"{referral.patient.full_name}, sent {referral.received_at:%d %b %Y}",
        "intro": "It leaves the duty queue and nobody will act on it. You cannot cancel it once it has been triaged.",
        "back_url": reverse("referrals:tracking_detail", args=[referral.public_id]),
    }
    return render(request, "triage/form_page.html", context)
