"""Recording a referral and routing it to its duty queue."""

from collections.abc import Sequence
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from ccc.audit import save_as
from ccc.idempotency import submitted_before
from ccc.models import Organisation, Team, User
from ccc.phone import normalise_phone
from referrals.models import NeedCategory, Patient, Referral, TimelineEvent
from referrals.rules import check_adult
from referrals.services.community_nursing import locality_team_for
from referrals.timeline import timeline_begin
from triage import services as triage_services
from triage.models import Priority


def referral_create(
    *,
    actor: User,
    idempotency_key: str,
    patient: Patient,
    need: NeedCategory,
    referrer_type: str,
    referrer_name: str,
    reason: str,
    referrer_organisation: str = "",
    referrer_phone: str = "",
    needs_description: str = "",
    channel: str = Referral.Channel.PHONE,
    received_at: datetime | None = None,
    referring_practice: Organisation | None = None,
    referring_ward: Team | None = None,
    request_fingerprint: str = "",
    urgency: str = "",
    red_flags: Sequence = (),
    emergency_advice_given: bool = False,
) -> tuple[Referral, bool]:
    """Record a referral and route it to its duty queue.

    Its urgency is the most urgent of ``urgency`` and the need's red flags answered yes
    (``red_flags``, questions of that need's screen); routine if neither. The queue item is due
    by the queue's target for that urgency. A risk to life needs ``emergency_advice_given``:
    the caller was told to dial 999.

    Returns the referral and whether it was created: a repeated submission with the same
    idempotency key returns the referral the first one made; over the API, only if its
    ``request_fingerprint`` matches (else ``SubmissionMismatch``).
    """
    existing = _referral_for_key(idempotency_key, actor, request_fingerprint)
    if existing:
        return existing, False

    if not need.is_active:
        # The page offers, and the API accepts, only needs that take new referrals: the rule is kept here.
        raise ValidationError({"need": f"{need} no longer takes new referrals: choose another need"})
    urgency, red_flag_answers = triage_services.urgency_screen(need=need, urgency=urgency, red_flags=red_flags)
    if urgency == Priority.EMERGENCY and not emergency_advice_given:
        raise ValidationError(
            {"emergency_advice_given": "Risk to life: advise the caller to dial 999 now, then record that you have"}
        )
    received_at = received_at or timezone.now()
    try:
        check_adult(patient.date_of_birth, timezone.localdate(received_at))
    except ValidationError as error:
        raise ValidationError({"patient": error}) from None
    queue, routing_summary = triage_services.route_for(need, at=received_at, urgency=urgency)
    allocated_team, allocation_warning = (
        locality_team_for(patient) if need.allocate_to_locality_team else (None, "")
    )
    try:
        referrer_phone = normalise_phone(referrer_phone)
    except ValidationError as error:
        raise ValidationError({"referrer_phone": error}) from None

    referral = Referral(
        patient=patient,
        need=need,
        referrer_type=referrer_type,
        referrer_name=referrer_name.strip(),
        referrer_organisation=referrer_organisation.strip(),
        referrer_phone=referrer_phone,
        referring_practice=referring_practice,
        referring_ward=referring_ward,
        reason=reason.strip(),
        needs_description=needs_description.strip(),
        channel=channel,
        received_at=received_at,
        received_by=actor,
        idempotency_key=idempotency_key,
        request_fingerprint=request_fingerprint,
        allocated_team=allocated_team,
        allocation_warning=allocation_warning,
        urgency=urgency,
        red_flags=red_flag_answers,
        emergency_advice_given=emergency_advice_given,
    )
    try:
        with transaction.atomic():
            # The key was looked up above; a submission racing this one is refused by its unique constraint.
            save_as(referral, actor, checked=["idempotency_key"])
            triage_services.queue_item_create(referral=referral, queue=queue, routed_at=received_at, urgency=urgency)
            timeline_begin(referral=referral, events=[
                TimelineEvent(kind=TimelineEvent.Kind.RECEIVED, summary=_received_summary(referral, actor),
                              actor=actor, occurred_at=received_at),
                TimelineEvent(kind=TimelineEvent.Kind.ROUTED, summary=routing_summary, occurred_at=received_at),
            ])
    except (IntegrityError, ValidationError):
        # The same submission arrived twice at once; the unique key let one through (seen by
        # full_clean's unique check if the winner committed first, else by the constraint).
        existing = _referral_for_key(idempotency_key, actor, request_fingerprint)
        if existing:
            return existing, False
        raise
    return referral, True


def _received_summary(referral: Referral, actor: User) -> str:
    """Who took it, and how urgent they found it: the red flags answered yes and the 999 advice."""
    summary = f"Received by {actor} from {referral.get_referrer_type_display()} {referral.referrer_name}"
    summary += f". Urgency: {referral.get_urgency_display()}"
    if referral.red_flags:
        summary += " (red flags: " + "; ".join(answer["question"] for answer in referral.red_flags) + ")"
    if referral.emergency_advice_given:
        summary += ". Caller advised to dial 999"
    return summary[:500]


def _referral_for_key(idempotency_key: str, actor: User, fingerprint: str) -> Referral | None:
    return submitted_before(
        Referral, key=idempotency_key, actor=actor, actor_field="received_by", noun="referral", fingerprint=fingerprint
    )
