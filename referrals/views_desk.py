"""Pages for the call handlers' other work: follow-up calls after discharge and patient transport."""

from django.contrib import messages
from django.shortcuts import redirect, render

from ccc.lists import list_page
from ccc.permissions import Action, allowed, can, require
from ccc.web import form_call
from referrals import selectors, services
from referrals.choices import move_choices
from referrals.forms_desk import (
    FollowUpCallScheduleForm,
    FollowUpOutcomeForm,
    TransportBookingForm,
    TransportStatusForm,
)
from referrals.models import FollowUpCall


@allowed(Action.FOLLOW_UP_CALL_VIEW)
def follow_up_work_list(request):
    calls = list_page(request, selectors.follow_up_work_list(fetched_by=request.user))
    return render(request, "referrals/follow_up_work_list.html", {"calls": calls})


@allowed(Action.FOLLOW_UP_CALL_VIEW)
def follow_up_call_detail(request, call_id):
    call = selectors.follow_up_call_get(public_id=call_id, fetched_by=request.user)
    can_record = bool(move_choices(FollowUpCall, call.status)) and can(request.user, Action.FOLLOW_UP_CALL_WORK)
    form = FollowUpOutcomeForm(request.POST or None)
    if request.method == "POST":
        require(request.user, Action.FOLLOW_UP_CALL_WORK)
        if form.is_valid():
            ok, recorded = form_call(
                form, lambda: services.follow_up_call_record_outcome(call=call, actor=request.user, **form.cleaned_data)
            )
            if ok:
                call = recorded
                messages.success(request, f"Call to {call.patient.full_name} recorded: {call.get_status_display()}")
                if call.status == FollowUpCall.Status.ANSWERED_CONCERNS:
                    return redirect("referrals:follow_up_call_detail", call_id=call.public_id)
                return redirect("referrals:follow_up_work_list")
        can_record = True  # keep the form and what was typed on the page with its errors
    context = {"call": call, "form": form, "can_record": can_record}
    return render(request, "referrals/follow_up_call_detail.html", context)


@allowed(Action.FOLLOW_UP_CALL_WORK)
def follow_up_call_schedule(request, patient_id):
    patient = selectors.patient_get(public_id=patient_id, fetched_by=request.user)
    form = FollowUpCallScheduleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        ok, made = form_call(form, lambda: services.follow_up_call_schedule(
            patient=patient,
            due_at=data["due_at"],
            reason=data["reason"],
            actor=request.user,
            idempotency_key=data["submission_key"],
        ))
        if ok:
            call, created = made
            if created:
                messages.success(request, f"Follow-up call to {patient.full_name} scheduled")
            else:
                messages.info(request, "This call was already scheduled: it has not been scheduled twice")
            return redirect("referrals:follow_up_call_detail", call_id=call.public_id)
    return render(request, "referrals/follow_up_call_form.html", {"form": form, "patient": patient})


@allowed(Action.TRANSPORT_VIEW)
def transport_list(request):
    bookings = list_page(request, selectors.transport_bookings_from_today(fetched_by=request.user))
    return render(request, "referrals/transport_list.html", {"bookings": bookings})


@allowed(Action.TRANSPORT_BOOK)
def transport_create(request, patient_id):
    patient = selectors.patient_get(public_id=patient_id, fetched_by=request.user)
    form = TransportBookingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        key = data.pop("submission_key")
        for typed in ("pickup_date", "pickup_time"):
            data.pop(typed)
        ok, made = form_call(form, lambda: services.transport_booking_create(
            actor=request.user, idempotency_key=key, patient=patient, **data
        ))
        if ok:
            booking, created = made
            if created:
                messages.success(request, f"Transport requested for {patient.full_name}")
            else:
                messages.info(request, "This transport was already requested: it has not been booked twice")
            return redirect("referrals:transport_detail", booking_id=booking.public_id)
    return render(request, "referrals/transport_form.html", {"form": form, "patient": patient})


@allowed(Action.TRANSPORT_VIEW)
def transport_detail(request, booking_id):
    booking = selectors.transport_booking_get(public_id=booking_id, fetched_by=request.user)
    form = TransportStatusForm(request.POST or None, booking=booking)
    if request.method == "POST":
        require(request.user, Action.TRANSPORT_BOOK)
        if form.is_valid():
            ok, moved = form_call(form, lambda: services.transport_booking_move(
                booking=booking,
                actor=request.user,
                to=form.cleaned_data["status"],
                cancel_reason=form.cleaned_data["cancel_reason"],
            ))
            if ok:
                booking = moved
                messages.success(request, f"Transport for {booking.patient.full_name}: {booking.get_status_display()}")
                return redirect("referrals:transport_detail", booking_id=booking.public_id)
    context = {
        "booking": booking,
        "form": form,
        "can_update": bool(form.fields["status"].choices) and can(request.user, Action.TRANSPORT_BOOK),
    }
    return render(request, "referrals/transport_detail.html", context)
