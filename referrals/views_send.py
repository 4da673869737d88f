"""A GP practice or ward sends a referral from its browser, then tracks it."""

from django.contrib import messages
from django.shortcuts import redirect, render

from ccc.permissions import Action, allowed
from ccc.web import form_call
from referrals import services
from referrals.forms import ReferralSendForm


@allowed(Action.REFERRAL_SEND)
def referral_send(request):
    form = ReferralSendForm(request.POST or None)
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
