"""Criteria to reside and the discharge ready date: the daily review of each inpatient on the
register, the discharge ready date that follows from it (or is set by hand, with why), and the
expected discharge date."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from ccc.audit import save_as
from ccc.exceptions import Conflict
from ccc.models import User
from discharge.models import RegisterEntry, ResidenceReview
from discharge.services.register import entry_locked_for


def _within_stay(entry: RegisterEntry, field: str, value: date, what: str) -> None:
    """A day of the stay so far: not before admission, not in the future."""
    if value > timezone.localdate():
        raise ValidationError({field: f"The {what} cannot be in the future"})
    if value < entry.admitted_on:
        raise ValidationError({field: f"The {what} cannot be before admission ({entry.admitted_on:%-d %B %Y})"})


def residence_review_record(
    *,
    entry: RegisterEntry,
    actor: User,
    reviewed_on: date,
    meets_criteria: bool,
    not_met_since: date | None = None,
    note: str = "",
) -> ResidenceReview:
    """Today's (or a missed day's) review of the criteria to reside: one per patient per day.
    The latest review sets the discharge ready date: the day the criteria stopped being met, or
    none while the patient meets them."""
    with transaction.atomic():
        locked = entry_locked_for(entry, "review_criteria")
        _within_stay(locked, "reviewed_on", reviewed_on, "review day")
        if meets_criteria:
            not_met_since = None  # a date typed before choosing "meets the criteria" means nothing
        elif not_met_since is None:
            raise ValidationError({"not_met_since": "Give the day the patient stopped meeting the criteria to reside"})
        else:
            _within_stay(locked, "not_met_since", not_met_since, "day the criteria stopped being met")
            if not_met_since > reviewed_on:
                raise ValidationError({"not_met_since": "This day cannot be after the day reviewed"})
        review = ResidenceReview(
            entry=locked, reviewed_on=reviewed_on, meets_criteria=meets_criteria, not_met_since=not_met_since,
            note=note.strip(), reviewed_by=actor, reviewed_at=timezone.now(),
        )
        try:
            with transaction.atomic():
                save_as(review, actor)
        except (IntegrityError, ValidationError):
            # The model's check or the unique constraint (a race): one review a day, the first wins.
            first = ResidenceReview.objects.select_related("reviewed_by").filter(
                entry=locked, reviewed_on=reviewed_on
            ).first()
            if first is None:
                raise
            raise Conflict(
                f"{locked.patient} was already reviewed on {reviewed_on:%-d %B %Y} by "
                f"{first.reviewed_by.get_full_name() or first.reviewed_by}: one review a day"
            ) from None
        later = ResidenceReview.objects.filter(entry=locked, reviewed_on__gt=reviewed_on).exists()
        if not later and (locked.discharge_ready_on, locked.discharge_ready_reason) != (not_met_since, ""):
            locked.discharge_ready_on = not_met_since
            locked.discharge_ready_reason = ""
            save_as(locked, actor)
    return review


def discharge_dates_set(
    *,
    entry: RegisterEntry,
    actor: User,
    discharge_ready_on: date | None,
    expected_discharge_on: date | None,
    reason: str = "",
) -> RegisterEntry:
    """Set the discharge ready date by hand (a change needs a reason: it overrides the reviews
    until the next one) and the expected discharge date (may be in the future)."""
    with transaction.atomic():
        locked = entry_locked_for(entry, "set_discharge_dates")
        if discharge_ready_on != locked.discharge_ready_on:
            if discharge_ready_on:
                _within_stay(locked, "discharge_ready_on", discharge_ready_on, "discharge ready date")
            if not reason.strip():
                raise ValidationError({"reason": "Say why the discharge ready date is changed by hand"})
            locked.discharge_ready_on = discharge_ready_on
            locked.discharge_ready_reason = reason.strip()
        if expected_discharge_on and expected_discharge_on < locked.admitted_on:
            raise ValidationError({"expected_discharge_on": "The expected discharge date cannot be before admission"})
        locked.expected_discharge_on = expected_discharge_on
        save_as(locked, actor)
    return locked
