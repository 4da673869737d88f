"""The joint data set: one row per referral received in the period, with its triage, defined once.

Every field is defined in ``docs/JOINT_DATA_SET.md`` (a test keeps the two in step), so each
partner counts the same way. It is pseudonymous: the patient is the system's patient id,
never a name or NHS number.

Each row also carries the IRR episode its triage opened, and the patient's Transfer of Care
register entry (hospital stay and discharge) as it stood; more fields go at the end of
``_SOURCE`` with their definitions in the document.
"""

from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime
from decimal import Decimal

from django.db.models import OuterRef, Subquery
from django.utils import timezone

from ccc.reporting import Period, Scope
from discharge.models import RegisterEntry
from referrals.selectors import referrals_received

# Field name -> the database lookup it is read from.
_SOURCE = {
    "referral_id": "public_id",
    "referral_reference": "pk",
    "patient_id": "patient__public_id",
    "received_at": "received_at",
    "received_date": "received_at",
    "referrer_type": "referrer_type",
    "channel": "channel",
    "need_code": "need__code",
    "need_group": "need__group",
    "duty_queue": "queue_item__queue__code",
    "team": "queue_item__queue__team__name",
    "organisation": "queue_item__queue__team__organisation__name",
    "routed_at": "queue_item__routed_at",
    "triage_due_at": "queue_item__due_at",
    "queue_status": "queue_item__status",
    "claimed_at": "queue_item__claimed_at",
    "triaged_at": "queue_item__decisions__decided_at",
    "triage_priority": "queue_item__decisions__priority",
    "triage_outcome": "queue_item__decisions__outcome",
    # IRR: the episode opened from the triage decision (one at most).
    "irr_episode_id": "queue_item__decisions__irr_episode__public_id",
    "irr_team": "queue_item__decisions__irr_episode__team__name",
    "episode_opened_at": "queue_item__decisions__irr_episode__opened_at",
    "episode_status": "queue_item__decisions__irr_episode__status",
    "episode_closed_at": "queue_item__decisions__irr_episode__closed_at",
    "episode_outcome": "queue_item__decisions__irr_episode__outcome",
    # Transfer of Care: the patient's latest register entry registered before the period ended
    # (annotations made in joint_data_set_rows; a referral does not point at a hospital stay).
    "toc_entry_id": "toc_public_id",
    "admitted_on": "toc_admitted_on",
    "discharge_ready_date": "toc_fit_on",
    "discharged_on": "toc_discharged_on",
    "discharge_pathway": "toc_pathway_used",
}
_TOC_FIELDS = ("public_id", "admitted_on", "fit_on", "discharged_on", "pathway_used")
# Worked out from the fields above, not read.
_DERIVED = ("minutes_to_triage", "triaged_within_target")
# Episodes and discharges came after the derived triage fields: they stay after them, so the
# columns partners already read keep their places.
_LATER = tuple(_SOURCE)[tuple(_SOURCE).index("irr_episode_id") :]
FIELDS: tuple[str, ...] = (*(field for field in _SOURCE if field not in _LATER), *_DERIVED, *_LATER)


def _utc(value: datetime | None) -> str:
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z") if value else ""


def _text(value) -> str:
    """A UUID, date or label as text, empty for none."""
    return "" if value is None else (value.isoformat() if isinstance(value, date) else str(value))


def _row(found: dict) -> dict:
    values = {field: found[lookup] for field, lookup in _SOURCE.items()}
    for field in (
        "irr_episode_id",
        "irr_team",
        "episode_status",
        "episode_outcome",
        "toc_entry_id",
        "admitted_on",
        "discharge_ready_date",
        "discharged_on",
    ):
        values[field] = _text(values[field])
    routed, triaged, due = values["routed_at"], values["triaged_at"], values["triage_due_at"]
    row = {
        **values,
        "referral_id": str(values["referral_id"]),
        "referral_reference": f"R{values['referral_reference']:06d}",
        "patient_id": str(values["patient_id"]),
        "received_at": _utc(values["received_at"]),
        "received_date": timezone.localdate(values["received_date"]).isoformat(),
        "routed_at": _utc(routed),
        "triage_due_at": _utc(due),
        "claimed_at": _utc(values["claimed_at"]),
        "triaged_at": _utc(triaged),
        "episode_opened_at": _utc(values["episode_opened_at"]),
        "episode_closed_at": _utc(values["episode_closed_at"]),
        "team": values["team"] or "",
        "organisation": values["organisation"] or "",
        "triage_priority": values["triage_priority"] or "",
        "triage_outcome": values["triage_outcome"] or "",
        "minutes_to_triage": round((triaged - routed).total_seconds() / 60, 1) if triaged else None,
        "triaged_within_target": (triaged <= due) if triaged else None,
    }
    return {field: row[field] for field in FIELDS}  # in the documented order


def joint_data_set_rows(*, period: Period, scope: Scope):
    """The period's referrals as database values, oldest first (one query; paginate or iterate it)."""
    stay = RegisterEntry.objects.filter(patient=OuterRef("patient"), registered_at__lt=period.end).order_by(
        "-registered_at", "-pk"
    )
    return (
        referrals_received(period, scope)
        .annotate(**{f"toc_{name}": Subquery(stay.values(name)[:1]) for name in _TOC_FIELDS})
        .values(*dict.fromkeys(_SOURCE.values()))
        .order_by("received_at", "pk")
    )


def joint_data_set(*, period: Period, scope: Scope) -> Iterator[dict]:
    """Each referral of the period as one joint data set row, streamed from the database in chunks."""
    return (_row(values) for values in joint_data_set_rows(period=period, scope=scope).iterator(chunk_size=2000))


def as_rows(values: Iterable[dict]) -> list[dict]:
    return [_row(value) for value in values]


def as_lines(rows: Iterable[dict]) -> Iterator[list]:
    """A header line, then each row's values in field order (blank for none), for CSV."""
    yield list(FIELDS)
    for row in rows:
        yield ["" if row[field] is None else _csv_value(row[field]) for field in FIELDS]


def _csv_value(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float | Decimal):
        return value  # a number, negative ones too, is data: the CSV writer leaves it as it is
    return str(value)
