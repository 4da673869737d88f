"""Writes on staff accounts that are not edits of a field: unlocking after failed logins."""

from axes.utils import reset as axes_reset
from django.core.exceptions import PermissionDenied
from django.db import transaction

from ccc.models import User
from ccc.permissions import Action, can


@transaction.atomic
def account_unlock(*, actor: User, user: User) -> int:
    """Forget the failed logins that locked ``user`` out, from every address; returns how many were forgotten."""
    if not can(actor, Action.ADMINISTER):
        raise PermissionDenied("Only an administrator can unlock an account.")
    return axes_reset(username=user.get_username())
