"""Who may do what. Every page and API endpoint asks here, and nowhere else.

A role grants actions. Some actions also depend on the object: a duty clinician works only the
queues they belong to, and triages only what they have claimed. ``scope_*`` narrow querysets
the same way, so lists show only what the object checks would allow.
"""

from collections.abc import Callable
from enum import StrEnum
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from rest_framework import permissions as drf_permissions

from ccc.models import User

Role = User.Role


class Action(StrEnum):
    PATIENT_VIEW = "patient.view"
    PATIENT_CREATE = "patient.create"
    REFERRAL_CREATE = "referral.create"
    REFERRAL_VIEW = "referral.view"
    QUEUE_VIEW = "queue.view"
    QUEUE_ITEM_CLAIM = "queue_item.claim"
    QUEUE_ITEM_TRIAGE = "queue_item.triage"
    ADMINISTER = "administer"
    QUEUE_ITEM_RELEASE = "queue_item.release"
    QUEUE_ITEM_REASSIGN = "queue_item.reassign"
    ROTA_MANAGE = "rota.manage"
    EPISODE_VIEW = "episode.view"
    EPISODE_MANAGE = "episode.manage"
    API_DOCS = "api.docs"
    FOLLOW_UP_CALL_VIEW = "follow_up_call.view"
    FOLLOW_UP_CALL_WORK = "follow_up_call.work"  # schedule by hand and record outcomes
    TRANSPORT_VIEW = "transport.view"
    TRANSPORT_BOOK = "transport.book"  # request, and record status changes
    CONTACT_LOG = "contact.log"
    CONTACT_VIEW = "contact.view"
    REFERRAL_TRACK = "referral.track"
    NOTIFICATION_VIEW = "notification.view"
    ESCALATION_ACKNOWLEDGE = "escalation.acknowledge"
    ESCALATION_VIEW_ALL = "escalation.view_all"
    DASHBOARD_VIEW = "dashboard.view"
    # The dashboard's system-wide figures (front desk contacts, Transfer of Care): not a team lead's.
    DASHBOARD_SYSTEM_WIDE = "dashboard.system_wide"
    DIRECTORY_SEARCH = "directory.search"
    DIRECTORY_EDIT = "directory.edit"
    SIGNPOSTING_RECORD = "signposting.record"
    # Transfer of Care: see the register and figures; work the register; sign delays off;
    # enter bed-occupancy figures.
    TOC_VIEW = "toc.view"
    TOC_WORK = "toc.work"
    TOC_DELAY_SIGN_OFF = "toc.delay_sign_off"
    TOC_OCCUPANCY_RECORD = "toc.occupancy_record"


# Groups of actions that go together, then each role's grant in one table.
_FRONT_DESK = frozenset(
    {
        Action.PATIENT_VIEW,
        Action.PATIENT_CREATE,
        Action.REFERRAL_CREATE,
        Action.REFERRAL_VIEW,
        Action.CONTACT_LOG,
        Action.CONTACT_VIEW,
        Action.FOLLOW_UP_CALL_VIEW,
        Action.FOLLOW_UP_CALL_WORK,
        Action.TRANSPORT_VIEW,
        Action.TRANSPORT_BOOK,
        Action.SIGNPOSTING_RECORD,
    }
)
# A duty clinician may reassign only while the rota makes them duty lead (an object rule).
_DUTY_CLINICAL = frozenset(
    {
        Action.REFERRAL_VIEW,
        Action.QUEUE_VIEW,
        Action.QUEUE_ITEM_CLAIM,
        Action.QUEUE_ITEM_TRIAGE,
        Action.QUEUE_ITEM_RELEASE,
        Action.QUEUE_ITEM_REASSIGN,
        Action.EPISODE_VIEW,
        Action.EPISODE_MANAGE,
        Action.SIGNPOSTING_RECORD,
    }
)
_TRANSFER_OF_CARE = frozenset({Action.TOC_VIEW, Action.TOC_WORK, Action.TOC_DELAY_SIGN_OFF, Action.TOC_OCCUPANCY_RECORD})
# Read-only oversight of everything; a team lead's dashboard is scoped to their team (scope_report_queues).
_OVERSIGHT = frozenset(
    {
        Action.PATIENT_VIEW,
        Action.REFERRAL_VIEW,
        Action.QUEUE_VIEW,
        Action.CONTACT_VIEW,
        Action.FOLLOW_UP_CALL_VIEW,
        Action.TRANSPORT_VIEW,
        Action.TOC_VIEW,
        Action.EPISODE_VIEW,
        Action.DASHBOARD_VIEW,
        Action.DASHBOARD_SYSTEM_WIDE,
        Action.ESCALATION_VIEW_ALL,
    }
)
# Everyone on the staff side: the directory, the API docs, and their own notifications (anyone may
# be named on an escalation ladder, and acknowledges what was sent to them: an object rule).
_STAFF = frozenset({Action.DIRECTORY_SEARCH, Action.API_DOCS, Action.NOTIFICATION_VIEW, Action.ESCALATION_ACKNOWLEDGE})

ROLE_ACTIONS: dict[str, frozenset[Action]] = {
    Role.CALL_HANDLER: _STAFF | _FRONT_DESK,
    Role.DUTY_CLINICIAN: _STAFF | _DUTY_CLINICAL,
    Role.TEAM_LEAD: _STAFF | _DUTY_CLINICAL | {Action.ROTA_MANAGE, Action.DASHBOARD_VIEW},
    Role.TOC: _STAFF | _TRANSFER_OF_CARE,
    Role.MANAGER: _STAFF | _OVERSIGHT,
    Role.DIRECTORY_EDITOR: _STAFF | {Action.DIRECTORY_EDIT},
    Role.ADMINISTRATOR: _STAFF | _OVERSIGHT | {Action.ADMINISTER},
    # Outside the centre: a GP practice or ward tracks its own referrals (an object rule), nothing else.
    Role.REFERRER: frozenset({Action.REFERRAL_TRACK, Action.API_DOCS}),
}


def _on_the_rung(user: User, escalation: Any) -> bool:
    """Only the people an escalation was sent to acknowledge it."""
    return escalation.notifications.filter(recipient=user).exists()


def _queue_id_of(obj: Any) -> int | None:
    """The duty queue an object sits in: a queue, a queue item, or a routed referral."""
    from referrals.models import Referral
    from triage.models import DutyQueue, QueueItem, TriageDecision

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


CLINICAL_ROLES = frozenset({Role.DUTY_CLINICIAN, Role.TEAM_LEAD})


def _in_my_queue(user: User, obj: Any) -> bool:
    if user.role not in CLINICAL_ROLES:
        return True
    return _queue_id_of(obj) in user.duty_queue_ids


def _referred_by_me(user: User, referral: Any) -> bool:
    """A referrer tracks only what their own GP practice or ward referred."""
    return (user.organisation_id is not None and referral.referring_practice_id == user.organisation_id) or (
        user.team_id is not None and referral.referring_ward_id == user.team_id
    )


def _leads_queue(user: User, obj: Any) -> bool:
    """A team lead of the item's queue, or its duty lead on the shift running now."""
    from django.utils import timezone

    from triage.models import DutyQueue, QueueItem
    from triage.selectors import leads_queue

    queue = obj if isinstance(obj, DutyQueue) else obj.queue if isinstance(obj, QueueItem) else None
    return queue is not None and leads_queue(queue=queue, user=user, at=timezone.now())


def _leads_team_queue(user: User, obj: Any) -> bool:
    return user.role == Role.TEAM_LEAD and _in_my_queue(user, obj)


def _on_my_team(user: User, obj: Any) -> bool:
    """IRR work: clinicians see their own team's episodes and those they are named on."""
    if user.role not in CLINICAL_ROLES:
        return True
    from irr.models import Episode, Visit

    episode = obj.episode if isinstance(obj, Visit) else obj
    if not isinstance(episode, Episode):
        raise TypeError(f"No episode for {type(obj).__name__}")
    return (user.team_id is not None and episode.team_id == user.team_id) or episode.lead_professional_id == user.pk


# Object rules on top of the role's grant; an action not named here needs only the grant.
# Whether an item is claimed by you is a workflow rule, checked by the triage services.
OBJECT_RULES: dict[Action, Callable[[User, Any], bool]] = {
    Action.REFERRAL_VIEW: _in_my_queue,
    Action.QUEUE_VIEW: _in_my_queue,
    Action.QUEUE_ITEM_CLAIM: _in_my_queue,
    Action.QUEUE_ITEM_TRIAGE: _in_my_queue,
    Action.REFERRAL_TRACK: _referred_by_me,
    Action.ESCALATION_ACKNOWLEDGE: _on_the_rung,
    Action.QUEUE_ITEM_RELEASE: _in_my_queue,
    Action.QUEUE_ITEM_REASSIGN: _leads_queue,
    Action.ROTA_MANAGE: _leads_team_queue,
    Action.EPISODE_VIEW: _on_my_team,
    Action.EPISODE_MANAGE: _on_my_team,
}


def can(user: Any, action: Action, obj: Any = None) -> bool:
    if not (user and user.is_authenticated and user.is_active):
        return False
    if action not in ROLE_ACTIONS.get(user.role, frozenset()):
        return False
    if obj is None:
        return True
    rule = OBJECT_RULES.get(action)
    return rule(user, obj) if rule else True


def require(user: Any, action: Action, obj: Any = None) -> None:
    if not can(user, action, obj):
        raise PermissionDenied


def scope_referrals(user: User, queryset: QuerySet) -> QuerySet:
    if not can(user, Action.REFERRAL_VIEW):
        return queryset.none()
    if user.role in CLINICAL_ROLES:
        return queryset.filter(queue_item__queue_id__in=user.duty_queue_ids)
    return queryset


def scope_tracked_referrals(user: User, queryset: QuerySet) -> QuerySet:
    """The referrals a referrer's GP practice or ward made; nothing for anyone else."""
    from django.db.models import Q

    if not can(user, Action.REFERRAL_TRACK):
        return queryset.none()
    mine = Q()
    if user.organisation_id is not None:
        mine |= Q(referring_practice_id=user.organisation_id)
    if user.team_id is not None:
        mine |= Q(referring_ward_id=user.team_id)
    return queryset.filter(mine) if mine else queryset.none()


def scope_queues(user: User, queryset: QuerySet) -> QuerySet:
    if not can(user, Action.QUEUE_VIEW):
        return queryset.none()
    if user.role in CLINICAL_ROLES:
        return queryset.filter(pk__in=user.duty_queue_ids)
    return queryset


def scope_report_queues(user: User, queryset: QuerySet) -> QuerySet:
    """The duty queues whose figures ``user`` may see: all for managers and administrators, a team lead's own team's."""
    if not can(user, Action.DASHBOARD_VIEW):
        return queryset.none()
    if user.role == Role.TEAM_LEAD:
        return queryset.filter(team_id=user.team_id) if user.team_id else queryset.none()
    return queryset


def scope_episodes(user: User, queryset: QuerySet) -> QuerySet:
    from django.db.models import Q

    if not can(user, Action.EPISODE_VIEW):
        return queryset.none()
    if user.role in CLINICAL_ROLES:
        return queryset.filter(Q(team_id=user.team_id) | Q(lead_professional=user)) if user.team_id else queryset.filter(
            lead_professional=user
        )
    return queryset


def allowed(action: Action) -> Callable:
    """Decorate a view: log in first, then the role must grant ``action``."""

    def decorator(view: Callable) -> Callable:
        @login_required
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            require(request.user, action)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


class ActionPermission(drf_permissions.BasePermission):
    """DRF's door to this module: the view names its action in ``required_action``.

    ``required_action`` is one action, or a dict from the view's action (``list``, ``create``,
    ``claim``...) to one.
    """

    def _action(self, view) -> Action | None:
        required = getattr(view, "required_action", None)
        if isinstance(required, dict):
            return required.get(getattr(view, "action", None) or view.request.method.lower())
        return required

    def has_permission(self, request, view) -> bool:
        action = self._action(view)
        return action is not None and can(request.user, action)

    def has_object_permission(self, request, view, obj) -> bool:
        action = self._action(view)
        return action is not None and can(request.user, action, obj)


class ApiDocsPermission(drf_permissions.BasePermission):
    """The OpenAPI schema and its browsable docs, for staff with a role."""

    def has_permission(self, request, view) -> bool:
        return can(request.user, Action.API_DOCS)
