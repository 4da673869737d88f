"""Writes on staff accounts that are not edits of a field: unlocking after failed logins, and the
second factor (an authenticator app's TOTP device, from django-otp): enrol, check a code, reset."""

import base64
import math

from axes.utils import reset as axes_reset
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from ccc.audit import save_as
from ccc.exceptions import Conflict
from ccc.models import User
from ccc.permissions import Action, can, needs_second_factor


@transaction.atomic
def account_unlock(*, actor: User, user: User) -> int:
    """Forget the failed logins that locked ``user`` out, from every address; returns how many were forgotten."""
    if not can(actor, Action.ADMINISTER):
        raise PermissionDenied("Only an administrator can unlock an account.")
    return axes_reset(username=user.get_username())


def second_factor_device(*, user: User) -> TOTPDevice | None:
    """The authenticator app this person set up (confirmed with a code), if any."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


@transaction.atomic
def second_factor_enrol(*, actor: User) -> TOTPDevice:
    """A new secret for ``actor``'s authenticator app, unconfirmed until they give a code it makes.

    Asking again (reloading the page) gives the same secret, so a QR code already scanned still works.
    """
    if not needs_second_factor(actor):
        raise PermissionDenied("Your account does not use a second factor.")
    if second_factor_device(user=actor) is not None:
        raise Conflict("You have already set up an authenticator app: enter a code from it.")
    started = TOTPDevice.objects.select_for_update().filter(user=actor, confirmed=False).order_by("pk").first()
    return started or TOTPDevice.objects.create(user=actor, name="Authenticator app", confirmed=False)


@transaction.atomic
def second_factor_check(*, actor: User, device: TOTPDevice, code: str) -> str | None:
    """Check a code from ``actor``'s authenticator app: None when right (an enrolling device is then
    confirmed), else what is wrong, for the page to show.

    Each wrong code doubles the wait before the next is checked (django-otp's throttling: 1 s, 2 s,
    4 s...), so guessing a six-digit code is hopeless; a code once used is refused (replay). A wrong
    code is answered, not raised: raising would roll back the failure count that makes the wait.
    """
    device = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=actor)
    allowed, details = device.verify_is_allowed()
    if not allowed:
        return _wait_message(details)
    if not device.verify_token(code):
        return "That code is not right: check the time on your phone and enter the newest code"
    if not device.confirmed:
        device.confirmed = True
        device.save(update_fields=["confirmed"])
    return None


def _wait_message(details: dict | None) -> str:
    locked_until = (details or {}).get("locked_until")
    seconds = max(1, math.ceil((locked_until - timezone.now()).total_seconds())) if locked_until else 1
    return f"Too many wrong codes: wait {seconds} seconds, then enter the newest code"


@transaction.atomic
def second_factor_reset(*, actor: User, user: User) -> int:
    """Forget ``user``'s authenticator app (a lost or new phone) and end every session they have: their
    next request goes to the login page, and after the password they set up a new app.

    A lost phone may have gone with an unlocked computer, so no session that passed the old app may
    keep going. Sessions end by raising the person's ``session_stamp``, part of the hash Django checks
    on every request (``User._get_session_auth_hash``): one write, no scan of the session table.
    API tokens are left alone: they are not asked for a code (docs/API.md); disabling the account
    stops them. Returns how many devices were forgotten.
    """
    if not can(actor, Action.ADMINISTER):
        raise PermissionDenied("Only an administrator can reset a second factor.")
    forgotten, _ = TOTPDevice.objects.filter(user=user).delete()
    locked = User.objects.select_for_update().get(pk=user.pk)
    locked.session_stamp += 1
    save_as(locked, actor, update_fields=["session_stamp"])
    return forgotten


@transaction.atomic
def second_factor_set_known(*, actor: User | None, user: User, secret: str) -> TOTPDevice:
    """Give ``user`` an authenticator app already set up with ``secret`` (base32), replacing any other.

    For the demo data only (actor None: the command), whose printed secret lets a person log in as
    the demo manager or administrator; real people enrol with a secret only their phone keeps.
    """
    if actor is not None:
        raise PermissionDenied("Only the demo data sets a known second factor.")
    TOTPDevice.objects.filter(user=user).delete()
    key = base64.b32decode(secret.replace(" ", "").upper()).hex()
    return TOTPDevice.objects.create(user=user, name="Demo authenticator app", key=key, confirmed=True)
