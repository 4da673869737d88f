"""Duty queues' object rules and list scopes, registered with ``ccc.permissions``.

A duty clinician works only the queues they belong to; a queue's team lead, or its duty lead on
the shift running now, may reassign its items and keep its rota.
"""

from datetime import datetime
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from ccc.models import User
from ccc.patient_access import register_relationship
from ccc.permissions import Action, Role, can, is_clinical, object_rule
from referrals.models import Referral
from triage.models import DutyQueue, QueueItem, TriageDecision


def _queue_id_of(obj: Any) -> int | None:
    """The duty queue an object sits in: a queue, a queue item, or a routed referral."""
    if isinstance(obj, DutyQueue):
        return obj.pk
    if isinstance(obj, QueueItem):
        return obj.queue_id
    if isinstance(obj, Referral):
        item = getattr(obj, "queue_item", None)
        return item.queue_id if item else None
    if isinstance(obj, TriageDecision):
        return obj.queue_item.queue_id
    raise TypeError(f"No queue for {type(obj).__name__}")


@object_rule(
    Action.REFERRAL_VIEW,
    Action.QUEUE_VIEW,
    Action.QUEUE_ITEM_CLAIM,
    Action.QUEUE_ITEM_TRIAGE,
    Action.QUEUE_ITEM_RELEASE,
    Action.QUEUE_ITEM_URGENCY,
)
def in_my_queue(user: User, obj: Any) -> bool:
    if not is_clinical(user):
        return True
    return _queue_id_of(obj) in user.duty_queue_ids


def is_queue_clinician(*, queue: DutyQueue, user: User) -> bool:
    """A clinician of the queue's specialty: on its list of clinicians (leads included)."""
    return is_clinical(user) and queue.pk in user.duty_queue_ids


def leads_queue(*, queue: DutyQueue, user: User, at: datetime) -> bool:
    """A team lead of the queue, or its duty lead on this shift."""
    from triage.selectors import duty_lead_now

    if not is_queue_clinician(queue=queue, user=user):
        return False
    return user.role == Role.TEAM_LEAD or duty_lead_now(queue=queue, at=at) == user


@object_rule(Action.QUEUE_ITEM_REASSIGN)
def leads_queue_now(user: User, obj: Any) -> bool:
    """A team lead of the item's queue, or its duty lead on the shift running now."""
    queue = obj if isinstance(obj, DutyQueue) else obj.queue if isinstance(obj, QueueItem) else None
    return queue is not None and leads_queue(queue=queue, user=user, at=timezone.now())


@object_rule(Action.ROTA_MANAGE)
def leads_team_queue(user: User, obj: Any) -> bool:
    return user.role == Role.TEAM_LEAD and in_my_queue(user, obj)


def may_read_sensitive_note(user: User, decision: TriageDecision) -> bool:
    """A sensitive note is for the clinical roles; any other note for anyone who sees the decision."""
    return not decision.note_is_sensitive or can(user, Action.SENSITIVE_NOTE_READ)


def scope_referrals(user: User, queryset: QuerySet) -> QuerySet:
    if not can(user, Action.REFERRAL_VIEW):
        return queryset.none()
    if is_clinical(user):
        return queryset.filter(queue_item__queue_id__in=user.duty_queue_ids)
    return queryset


def scope_queues(user: User, queryset: QuerySet) -> QuerySet:
    if not can(user, Action.QUEUE_VIEW):
        return queryset.none()
    if is_clinical(user):
        return queryset.filter(pk__in=user.duty_queue_ids)
    return queryset


def scope_report_queues(user: User, queryset: QuerySet) -> QuerySet:
    """The duty queues whose figures ``user`` may see: all with the system-wide view, else their own team's."""
    if not can(user, Action.DASHBOARD_VIEW):
        return queryset.none()
    if not can(user, Action.DASHBOARD_SYSTEM_WIDE):
        return queryset.filter(team_id=user.team_id) if user.team_id else queryset.none()
    return queryset


def referrals_worked_by(user: User) -> QuerySet:
    """A clinician's legitimate relationship with a patient: a referral in one of their queues."""
    return scope_referrals(user, Referral.objects.all())


register_relationship("triage", referrals_worked_by)
