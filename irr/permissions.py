"""IRR episodes' object rule and list scope, registered with ``ccc.permissions``.

Clinicians see their own team's episodes and those they lead; oversight roles see all. An episode
is opened from a triage decision by the clinician who made it or a lead of its queue.
"""

from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from ccc.models import User
from ccc.patient_access import register_relationship
from ccc.permissions import Action, can, is_clinical, object_rule, roles_granted
from irr.models import Episode, Visit
from triage.models import TriageDecision
from triage.permissions import leads_queue


@object_rule(Action.EPISODE_VIEW, Action.EPISODE_MANAGE)
def on_my_team(user: User, obj: Any) -> bool:
    if isinstance(obj, TriageDecision):
        return may_open_from(user, obj)
    if not is_clinical(user):
        return True
    episode = obj.episode if isinstance(obj, Visit) else obj
    if not isinstance(episode, Episode):
        raise TypeError(f"No episode for {type(obj).__name__}")
    return (user.team_id is not None and episode.team_id == user.team_id) or episode.lead_professional_id == user.pk


def scope_episodes(user: User, queryset: QuerySet) -> QuerySet:
    if not can(user, Action.EPISODE_VIEW):
        return queryset.none()
    if is_clinical(user):
        mine = Q(lead_professional=user)
        return queryset.filter(mine | Q(team_id=user.team_id) if user.team_id else mine)
    return queryset


def may_open_from(user: User, decision: TriageDecision) -> bool:
    """Who may open an episode from a triage decision: its clinician, or a lead of its queue."""
    return decision.decided_by_id == user.pk or leads_queue(queue=decision.queue_item.queue, user=user, at=timezone.now())


def may_lead_episode(user: User) -> bool:
    """Who may be an episode's lead professional: someone whose role runs episodes."""
    return can(user, Action.EPISODE_MANAGE)


def lead_professionals(queryset: QuerySet[User]) -> QuerySet[User]:
    """The active users ``may_lead_episode`` allows, for a list to choose from (read from the role table)."""
    return queryset.filter(is_active=True, role__in=roles_granted(Action.EPISODE_MANAGE))


def episodes_worked_by(user: User) -> QuerySet:
    """A legitimate relationship with a patient: an episode in the person's team, or one they lead."""
    return scope_episodes(user, Episode.objects.all())


register_relationship("irr", episodes_worked_by)
