"""The access log: who looked at whose record, when, and through which door (page or API).

Reads never write, except here, on purpose: every page or API view that shows a patient, a
referral, an IRR episode or a Transfer of Care register entry, and every export, calls
``access_log_record`` once. It is one INSERT and reads nothing (the caller already holds the
record), so looking stays cheap. The rows are never changed or deleted (``AccessLog``).
"""

from typing import Any

from django.db.models import QuerySet

from ccc.models import AccessLog, User
from ccc.permissions import Action, require

Kind = AccessLog.Kind
Channel = AccessLog.Channel


def access_log_record(
    *,
    actor: User,
    kind: str,
    record_id: Any,
    patient_id: int | None,
    channel: str,
    path: str,
    rows: int | None = None,
    detail: str = "",
) -> AccessLog:
    """Log one look (or one export): a single INSERT, in the request's own transaction if it has one."""
    return AccessLog.objects.create(
        actor=actor,
        kind=kind,
        record_id=str(record_id)[:64],
        patient_id=patient_id,
        channel=channel,
        path=path[:500],
        rows=rows,
        detail=detail[:200],
    )


def channel_of(request) -> str:
    """Page or API: DRF's requests answer the API, Django's the pages."""
    return Channel.API if hasattr(request, "accepted_renderer") or request.path.startswith("/api/") else Channel.PAGE


def access_viewed(request, *, kind: str, record_id: Any, patient_id: int | None) -> None:
    """Log that ``request.user`` was shown one record, from the request itself."""
    access_log_record(
        actor=request.user,
        kind=kind,
        record_id=record_id,
        patient_id=patient_id,
        channel=channel_of(request),
        path=request.get_full_path(),
    )


def access_exported(request, *, what: str, rows: int) -> None:
    """Log one export: what it was and how many rows left the system."""
    access_log_record(
        actor=request.user,
        kind=Kind.EXPORT,
        record_id=what,
        patient_id=None,
        channel=channel_of(request),
        path=request.get_full_path(),
        rows=rows,
        detail=f"{what}: {rows} rows",
    )


def access_log_for_patient(*, patient_id: int, fetched_by: User) -> QuerySet[AccessLog]:
    """Every look at one patient's records, newest first (read through the patient index)."""
    require(fetched_by, Action.ACCESS_LOG_VIEW)
    return AccessLog.objects.filter(patient_id=patient_id).select_related("actor").order_by("-at", "-pk")


def access_log_for_actor(*, actor: User, fetched_by: User) -> QuerySet[AccessLog]:
    """Everything one person looked at or exported, newest first (read through the actor index)."""
    require(fetched_by, Action.ACCESS_LOG_VIEW)
    return AccessLog.objects.filter(actor=actor).select_related("actor").order_by("-at", "-pk")


def access_log_person(*, username: str, fetched_by: User) -> User | None:
    """The member of staff whose looks the IG lead asks about, by username; None if there is none."""
    require(fetched_by, Action.ACCESS_LOG_VIEW)
    return User.objects.filter(username=username.strip()).first()
