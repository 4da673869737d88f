"""IRR episodes' object rule and list scope, registered with ``ccc.permissions``.

Clinicians see their own team's episodes and those they lead; oversight roles see all.
"""

from typing import Any

from django.db.models import Q, QuerySet

from ccc.models import User
from ccc.permissions import Action, can, is_clinical, object_rule
from irr.models import Episode, Visit


@object_rule(Action.EPISODE_VIEW, Action.EPISODE_MANAGE)
def on_my_team(user: User, obj: Any) -> bool:
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
