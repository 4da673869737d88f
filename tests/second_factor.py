"""Passing the second factor in tests the way a person does: a real TOTP device and a code it makes."""

import base64

from django.test import Client as DjangoClient
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from ccc.permissions import needs_second_factor


def code_from(key: bytes, *, after_step: int = -1, step: int = 30) -> str:
    """The code an authenticator app holding ``key`` shows now; or the next step's, when now's was used
    (a device refuses a code twice; it accepts one step ahead, for a phone's clock a little fast)."""
    totp = TOTP(key, step=step)
    if totp.t() <= after_step:
        totp.drift = after_step + 1 - totp.t()
    return f"{totp.token():06d}"


def code_for(device: TOTPDevice) -> str:
    device.refresh_from_db()
    return code_from(device.bin_key, after_step=device.last_t, step=device.step)


def code_for_secret(secret: str) -> str:
    """From the secret key the enrolment page shows (base32), as typed into an app."""
    return code_from(base64.b32decode(secret))


def enrolled(user) -> TOTPDevice:
    """Set up an authenticator app for ``user`` (as if they had confirmed it), replacing any other."""
    TOTPDevice.objects.filter(user=user).delete()
    return TOTPDevice.objects.create(user=user, name="Test phone", confirmed=True)


class Client(DjangoClient):
    """Django's test client whose force_login also passes the second step, for those who need it."""

    def force_login(self, user, backend=None):
        super().force_login(user, backend)
        if needs_second_factor(user):
            response = self.post(reverse("second_factor"), {"code": code_for(enrolled(user))})
            assert response.status_code == 302, response.content[:2000]
