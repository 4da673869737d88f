"""Call-back requests: made from a contact (or the API), on the team's list and an escalation
clock until the call back is recorded or the request is closed with a reason."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from ccc.audit import save_as
from ccc.idempotency import same_submission
from ccc.models import Team, User
from ccc.phone import normalise_phone
from escalations import services as escalation_services
from referrals.models import CallBackRequest, Contact, Patient
from triage.models import DutyQueue

# The escalation clock's kind: a call waiting to be returned.
CALL_BACK_CLOCK = "call_back"


def call_back_request_create(
    *,
    actor: User,
    idempotency_key: str,
    team: Team | None,
    caller_name: str,
    caller_phone: str,
    reason: str,
    urgency: str = CallBackRequest.Urgency.SOON,
    kind: str = CallBackRequest.Kind.CALL_BACK,
    clinician: User | None = None,
    patient: Patient | None = None,
    contact: Contact | None = None,
    request_fingerprint: str = "",
) -> tuple[CallBackRequest, bool]:
    """Put a call back on ``team``'s list, due by its urgency, and start its escalation clock.

    A repeated ``idempotency_key`` returns the first request (over the API, only for the same body).
    """
    existing = same_submission(
        CallBackRequest.objects.filter(idempotency_key=idempotency_key).first(), request_fingerprint, "call-back request"
    )
    if existing:
        return existing, False
    if team is None:
        raise ValidationError({"team": "Select the team to call back"})
    if clinician is not None and clinician.team_id != team.pk:
        raise ValidationError({"clinician": f"{clinician} is not on {team}: choose one of its clinicians, or none"})
    if urgency not in CallBackRequest.DUE_WITHIN:
        raise ValidationError({"urgency": "Select how urgent the call back is"})
    try:
        phone = normalise_phone(caller_phone)
    except ValidationError as error:
        raise ValidationError({"caller_phone": error}) from None
    if not phone:
        raise ValidationError({"caller_phone": "Enter the number to call back"})
    now = timezone.now()
    request = CallBackRequest(
        kind=kind, contact=contact, caller_name=caller_name.strip(), caller_phone=phone, patient=patient,
        reason=reason.strip(), team=team, clinician=clinician, urgency=urgency,
        due_at=now + CallBackRequest.DUE_WITHIN[urgency], requested_at=now, requested_by=actor,
        idempotency_key=idempotency_key, request_fingerprint=request_fingerprint,
    )
    try:
        with transaction.atomic():
            save_as(request, actor)
            _clock_start(request, actor)
    except (IntegrityError, ValidationError):
        # The same submission arrived twice at once: the unique key let one through.
        existing = CallBackRequest.objects.filter(idempotency_key=idempotency_key).first()
        if existing is None:
            raise
        return same_submission(existing, request_fingerprint, "call-back request"), False
    return request, True


def _clock_start(request: CallBackRequest, actor: User) -> None:
    # The team's duty queue, if it has one, so its ladder and duty clinicians are told.
    queue = DutyQueue.objects.filter(team=request.team_id).order_by("pk").first()
    escalation_services.clock_start(
        subject=request, kind=CALL_BACK_CLOCK, due_at=request.due_at, started_at=request.requested_at,
        label=f"Call back {request.caller_name} for {request.team}"[:300],
        url=reverse("referrals:call_back_detail", args=[request.public_id]), queue=queue, actor=actor,
    )


def call_back_request_record(
    *, request: CallBackRequest, actor: User, status: str, note: str = "", at: datetime | None = None
) -> CallBackRequest:
    """Record the call back, or close the request with a reason. Of two people at once, one wins."""
    with transaction.atomic():
        locked = CallBackRequest.objects.select_for_update(of=("self",)).select_related("done_by").get(pk=request.pk)
        if locked.status == status and locked.done_by_id == actor.pk:
            return locked  # a double click: already recorded, by you
        if status not in CallBackRequest.TRANSITIONS.moves:
            raise ValidationError({"status": "Choose whether you called back or are closing the request"})
        new_status = CallBackRequest.TRANSITIONS.move(
            status, locked.status,
            lambda: f"This request was already {locked.get_status_display().lower()} by {locked.done_by}",
        )
        if status == CallBackRequest.Status.CLOSED and not note.strip():
            raise ValidationError({"note": "Enter why the request is closed without a call back"})
        locked.status, locked.outcome_note = new_status, note.strip()
        locked.done_at, locked.done_by = at or timezone.now(), actor
        save_as(locked, actor)
        escalation_services.clock_stop(
            subject=locked, kind=CALL_BACK_CLOCK, actor=actor, reason=locked.get_status_display().lower()
        )
    return locked
