"""Delays: why an MFFD patient is still in hospital, each day one reason, signed off by partners."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from ccc.audit import save_as
from ccc.exceptions import Conflict
from ccc.models import Organisation, User
from discharge.models import SIGN_OFF_NEEDED, Delay, DelayReason, DelaySignOff, Partner, RegisterEntry
from discharge.services.register import entry_locked_for

PARTNER_ORGANISATION_KIND = {
    Partner.ACUTE: Organisation.Kind.ACUTE_TRUST,
    Partner.COMMUNITY: Organisation.Kind.ACUTE_TRUST,  # the acute and community trust is one organisation here
    Partner.SOCIAL_CARE: Organisation.Kind.COUNCIL,
}




def delay_record(
    *,
    entry: RegisterEntry,
    actor: User,
    reason: DelayReason,
    attribution: str,
    starts_on: date,
    note: str = "",
) -> Delay:
    """The patient is MFFD and still here for ``reason`` from ``starts_on``. An open delay for
    another reason ends where this one starts, so each delayed day has one reason."""
    with transaction.atomic():
        locked = entry_locked_for(entry, "record_delay")
        if locked.fit_on is None:
            raise ValidationError({"starts_on": "Record the date declared medically fit before recording a delay"})
        if starts_on < locked.fit_on:
            raise ValidationError({"starts_on": "A delay cannot start before the patient was declared medically fit"})
        if starts_on > timezone.localdate():
            raise ValidationError({"starts_on": "A delay cannot start in the future"})
        if not reason.is_active:
            raise ValidationError({"reason": "This reason is no longer in use"})
        current = Delay.objects.select_for_update().filter(entry=locked, ends_on__isnull=True).first()
        if current:
            if starts_on < current.starts_on:
                raise ValidationError(
                    {"starts_on": f"The current delay started on {current.starts_on:%-d %B %Y}: start after it"}
                )
            current.ends_on = starts_on
            save_as(current, actor)
        delay = Delay(
            entry=locked,
            reason=reason,
            attribution=attribution,
            starts_on=starts_on,
            note=note.strip(),
            recorded_by=actor,
            recorded_at=timezone.now(),
        )
        save_as(delay, actor)
    return delay


def delay_end(*, delay: Delay, actor: User, ends_on: date) -> Delay:
    """The cause of the delay was resolved while the patient stays in hospital: today, or a past
    day the team learns of late (the days after it are no longer delayed days)."""
    with transaction.atomic():
        locked = Delay.objects.select_for_update().get(pk=delay.pk)
        Delay.TRANSITIONS.move("end", locked.status, "This delay has already ended")
        if ends_on < locked.starts_on:
            raise ValidationError(
                {"ends_on": f"A delay cannot end before it starts (it started on {locked.starts_on:%-d %B %Y})"}
            )
        if ends_on > timezone.localdate():
            raise ValidationError({"ends_on": "A delay cannot end in the future: end it on the day it ends"})
        locked.ends_on = ends_on
        save_as(locked, actor)
    return locked


def delay_sign_off(*, delay: Delay, actor: User, partner: str) -> DelaySignOff:
    """A partner agrees the delay's reason and attribution. The signer must belong to that partner."""
    needed = SIGN_OFF_NEEDED[delay.attribution]
    if not any(partner in group for group in needed):
        raise ValidationError(
            {"partner": f"A {delay.get_attribution_display()} delay is not signed off by {Partner(partner).label.lower()}"}
        )
    organisation = actor.organisation
    if organisation is None or organisation.kind != PARTNER_ORGANISATION_KIND[partner]:
        raise ValidationError({"partner": f"Only staff of the {Partner(partner).label.lower()} partner can sign for it"})
    with transaction.atomic():
        locked = Delay.objects.select_for_update().get(pk=delay.pk)
        Delay.TRANSITIONS.move("sign_off", locked.status)
        sign_off = DelaySignOff(delay=locked, partner=partner, signed_by=actor, signed_at=timezone.now())
        try:
            with transaction.atomic():
                save_as(sign_off, actor)
        except (IntegrityError, ValidationError):
            raise Conflict(f"{Partner(partner).label} has already signed this delay off") from None
        signed = set(locked.sign_offs.values_list("partner", flat=True))
        if locked.agreed_at is None and all(group & signed for group in needed):
            locked.agreed_at = sign_off.signed_at
            save_as(locked, actor)
    return sign_off


