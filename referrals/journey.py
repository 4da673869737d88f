"""A referral's journey past triage, as its referrer follows it: IRR episode opened, first visit
made, episode closed with its outcome, admitted to hospital, discharged.

The apps that own those steps register a reader here (``irr/journey.py``, ``discharge/journey.py``),
so referrals imports neither. A reader answers for a page of referrals in one query. Each step is
a tracking fact, nothing clinical: no notes, no reasons. Each step also tells the referrer once, in
their notifications (``referrer_notify``), with a link and no patient details (it is e-mailed).
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.urls import reverse
from django.utils import timezone

from referrals.models import Referral
from referrals.permissions import referrers_of


@dataclass(frozen=True)
class JourneyStep:
    at: datetime | date  # a date where the record keeps only the day (hospital admission, discharge)
    label: str

    @property
    def has_time(self) -> bool:
        return isinstance(self.at, datetime)

    @property
    def at_iso(self) -> str:
        """As the record keeps it: a moment, or a day (YYYY-MM-DD)."""
        return self.at.isoformat()

    @property
    def sort_key(self) -> datetime:
        """A day-only step sorts after that day's timed steps: a patient admitted the day their
        episode closed reads "episode closed", then "admitted"."""
        if isinstance(self.at, datetime):
            return self.at
        return datetime.combine(self.at, time.max, tzinfo=timezone.get_current_timezone())


Reader = Callable[[list[Referral]], dict[int, list[JourneyStep]]]
_READERS: list[Reader] = []


def register_journey_reader(reader: Reader) -> Reader:
    _READERS.append(reader)
    return reader


def journeys(referrals: Iterable[Referral]) -> dict[int, list[JourneyStep]]:
    """Each referral's steps past triage, oldest first: one query per reader for all of them."""
    referrals = list(referrals)
    found: dict[int, list[JourneyStep]] = {referral.pk: [] for referral in referrals}
    if not referrals:
        return found
    for reader in _READERS:
        for pk, steps in reader(referrals).items():
            found[pk].extend(steps)
    return {pk: sorted(steps, key=lambda step: step.sort_key) for pk, steps in found.items()}


def referrer_notify(*, referral: Referral, step: str, label: str) -> None:
    """Tell the people who track ``referral`` (its GP practice or ward) that it moved on: once per step."""
    from escalations.services import notification_send  # escalations reads referrals' timelines

    notification_send(
        recipients=referrers_of(referral),
        topic=f"journey-{referral.pk}-{step}",
        message=f"Your referral {referral.reference}: {label}",
        url=reverse("referrals:tracking_detail", args=[referral.public_id]),
    )


# How far back a hospital step still belongs to a patient's referral, for telling its referrer.
RECENT_REFERRAL_DAYS = 90


def patient_referrers_notify(*, patient, step: str, label: str, on: date) -> None:
    """A step that belongs to the patient, not to one referral (a hospital discharge): tell the
    referrers of each of their referrals received in the ``RECENT_REFERRAL_DAYS`` before ``on``."""
    since = datetime.combine(on, time.min, tzinfo=timezone.get_current_timezone()) - timedelta(days=RECENT_REFERRAL_DAYS)
    recent = Referral.objects.filter(patient=patient, received_at__gte=since).exclude(
        referring_practice__isnull=True, referring_ward__isnull=True
    )
    for referral in recent[:20]:
        referrer_notify(referral=referral, step=step, label=label)
