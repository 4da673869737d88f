"""Processing a received FHIR message: a new referral through the same intake as any other, or
the cancellation of one the sender made. Each message is processed once (its MessageHeader id)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404

from ccc.audit import save_as
from ccc.exceptions import Conflict
from ccc.models import User
from interop.messages import CANCEL, ReferralMessage
from interop.models import ReceivedMessage
from referrals import selectors as referral_selectors
from referrals import services as referral_services
from referrals.models import NeedCategory, Referral
from triage import services as triage_services

ALREADY_PROCESSED = "Message {} was already processed: send a new MessageHeader id for a new message"


def _sender_ods_code(actor: User) -> str:
    if actor.organisation_id:
        return actor.organisation.ods_code or ""
    return actor.team.organisation.ods_code or "" if actor.team_id else ""


def _referral_named(message: ReferralMessage, actor: User) -> Referral:
    """The referral the sender's earlier message made for this ServiceRequest id (or our own id)."""
    earlier = (
        ReceivedMessage.objects.filter(
            sender=actor, service_request_id=message.service_request_id, kind=ReceivedMessage.Kind.REFERRAL
        )
        .values_list("referral__public_id", flat=True)
        .first()
    )
    try:
        return referral_selectors.tracked_referral_get(
            public_id=earlier or message.service_request_id, fetched_by=actor
        )
    except (ValidationError, Http404):  # not a UUID, or not a referral this sender made
        raise ValidationError(f"No referral of yours has ServiceRequest id {message.service_request_id}") from None


@transaction.atomic
def received_message_process(
    *, actor: User, message: ReferralMessage, request_id: str = "", correlation_id: str = ""
) -> tuple[ReceivedMessage, Referral]:
    """Make or cancel the referral the message carries, and record the message, in one transaction.

    A second message with the same MessageHeader id is a ``Conflict`` (the unique constraint decides,
    so two copies arriving at once make one referral). A sender whose ODS code is not their account's
    is refused: a system sends for its own practice or ward only.
    """
    if message.sender_ods_code != _sender_ods_code(actor):
        raise PermissionDenied(
            f"This account sends for ODS code {_sender_ods_code(actor) or '(none)'}, not {message.sender_ods_code}"
        )
    _check_not_received(message, actor)
    if message.status == CANCEL:
        referral = _referral_named(message, actor)
        triage_services.referral_cancel(referral=referral, actor=actor, reason=message.cancel_reason)
        kind = ReceivedMessage.Kind.CANCELLATION
    else:
        need = NeedCategory.objects.filter(code=message.need_code).first()
        if need is None:
            raise ValidationError({"need": f"No need category with code {message.need_code}"})
        referral, _ = referral_services.referral_send(
            actor=actor,
            idempotency_key=f"fhir:{message.header_id}",
            patient_details=message.patient,
            need=need,
            reason=message.reason,
            needs_description=message.needs_description,
        )
        kind = ReceivedMessage.Kind.REFERRAL
    received = ReceivedMessage(
        header_id=message.header_id,
        kind=kind,
        sender=actor,
        service_request_id=message.service_request_id,
        referral=referral,
        request_id=request_id[:200],
        correlation_id=correlation_id[:200],
    )
    try:
        with transaction.atomic():
            save_as(received, actor)
    except (IntegrityError, ValidationError):
        # Sent before, or at the same moment: the unique constraints let one in (_check_not_received
        # only gives the usual case its clearer message before any work is done).
        _check_not_received(message, actor)
        raise
    return received, referral


def _check_not_received(message: ReferralMessage, actor: User) -> None:
    """Refuse a message id seen before, or a ServiceRequest already made into a referral (a new message id
    does not make a second referral of it)."""
    if message.header_id and ReceivedMessage.objects.filter(header_id=message.header_id).exists():
        raise Conflict(ALREADY_PROCESSED.format(message.header_id))
    if message.status == CANCEL:
        return
    earlier = (
        ReceivedMessage.objects.filter(
            sender=actor, service_request_id=message.service_request_id, kind=ReceivedMessage.Kind.REFERRAL
        )
        .select_related("referral")
        .first()
    )
    if earlier is not None:
        raise Conflict(
            f"ServiceRequest {message.service_request_id} was already received as referral "
            f"{earlier.referral.reference}: send a new ServiceRequest id for a new referral"
        )
