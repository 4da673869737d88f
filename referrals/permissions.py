"""Referral tracking's and call-back requests' object rules and list scopes, registered with ``ccc.permissions``."""

from typing import Any

from django.db.models import Q, QuerySet

from ccc.models import User
from ccc.permissions import CLINICAL_ROLES, Action, can, is_clinical, object_rule


@object_rule(Action.REFERRAL_TRACK, Action.REFERRAL_CANCEL)
def referred_by_me(user: User, referral: Any) -> bool:
    """A referrer tracks, and cancels, only what their own GP practice or ward referred."""
    return (user.organisation_id is not None and referral.referring_practice_id == user.organisation_id) or (
        user.team_id is not None and referral.referring_ward_id == user.team_id
    )


def referrers_of(referral: Any) -> list[User]:
    """The active people who may track ``referral``: its GP practice's or ward's referrers (one query)."""
    near = Q()
    if referral.referring_practice_id is not None:
        near |= Q(organisation_id=referral.referring_practice_id)
    if referral.referring_ward_id is not None:
        near |= Q(team_id=referral.referring_ward_id)
    if not near:
        return []
    return [person for person in User.objects.filter(near, is_active=True) if can(person, Action.REFERRAL_TRACK, referral)]


def scope_tracked_referrals(user: User, queryset: QuerySet) -> QuerySet:
    """The referrals a referrer's GP practice or ward made; nothing for anyone else."""
    if not can(user, Action.REFERRAL_TRACK):
        return queryset.none()
    mine = Q()
    if user.organisation_id is not None:
        mine |= Q(referring_practice_id=user.organisation_id)
    if user.team_id is not None:
        mine |= Q(referring_ward_id=user.team_id)
    return queryset.filter(mine) if mine else queryset.none()


@object_rule(Action.CALL_BACK_VIEW, Action.CALL_BACK_RECORD)
def call_back_for_my_team(user: User, request: Any) -> bool:
    """A clinician sees and answers their own team's call-back requests; the front desk and oversight, all."""
    return not is_clinical(user) or (user.team_id is not None and request.team_id == user.team_id)


def scope_call_backs(user: User, queryset: QuerySet) -> QuerySet:
    """The call-back requests ``call_back_for_my_team`` lets ``user`` see."""
    if not can(user, Action.CALL_BACK_VIEW):
        return queryset.none()
    if is_clinical(user):
        return queryset.filter(team_id=user.team_id) if user.team_id is not None else queryset.none()
    return queryset


def call_back_clinicians(queryset: QuerySet[User]) -> QuerySet[User]:
    """Clinicians a call back may be asked of: active, clinical and on a team (the request's team is checked)."""
    return queryset.filter(is_active=True, team__isnull=False, role__in=CLINICAL_ROLES)
