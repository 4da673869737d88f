"""A GP practice or ward sends a referral from its browser, then tracks it."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render

from ccc.permissions import Action, allowed
from ccc.web import form_call
from referrals import selectors, services
from referrals.forms_send import ReferralSendForm


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
