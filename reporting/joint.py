"""The joint data set: one row per referral received in the period, with its triage, defined once.

Every field is defined in ``docs/JOINT_DATA_SET.md`` (a test keeps the two in step), so each
partner counts the same way. It is pseudonymous: the patient is the system's patient id,
never a name or NHS number.

Room for what other capabilities record: IRR episodes and discharges add their fields at the
end of ``FIELDS`` (and their lookups in ``_SOURCE``), with their definitions in the document.
"""

from collections.abc import Iterable, Iterator
from datetime import UTC, datetime

from django.utils import timezone

from ccc.reporting import Period, Scope
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
}
# Worked out from the fields above, not read.
_DERIVED = ("minutes_to_triage", "triaged_within_target")
FIELDS: tuple[str, ...] = (*_SOURCE, *_DERIVED)
# Episodes (irr) and discharges (discharge) go here after merge, e.g. "irr_episode_id", "discharged_at".


def _utc(value: datetime | None) -> str:
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z") if value else ""


def _row(found: dict) -> dict:
    values = {field: found[lookup] for field, lookup in _SOURCE.items()}
    routed, triaged, due = values["routed_at"], values["triaged_at"], values["triage_due_at"]
    return {
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
        "team": values["team"] or "",
        "organisation": values["organisation"] or "",
        "triage_priority": values["triage_priority"] or "",
        "triage_outcome": values["triage_outcome"] or "",
        "minutes_to_triage": round((triaged - routed).total_seconds() / 60, 1) if triaged else None,
        "triaged_within_target": (triaged <= due) if triaged else None,
    }


def joint_data_set_rows(*, period: Period, scope: Scope):
    """The period's referrals as database values, oldest first (one query; paginate or iterate it)."""
    return referrals_received(period, scope).values(*dict.fromkeys(_SOURCE.values())).order_by("received_at", "pk")


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


def _csv_value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
