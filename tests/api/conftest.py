from collections.abc import Callable

import pytest
from rest_framework.test import APIClient

from ccc.models import User
from referrals.models import NeedCategory, Patient
from tests import factories


@pytest.fixture
def api() -> APIClient:
    return APIClient()


@pytest.fixture
def login(api) -> Callable[[User | None], APIClient]:
    """Act as ``user`` on the ``api`` client (None: anonymous). A fresh copy each time, as per request."""

    def as_user(user: User | None) -> APIClient:
        api.force_authenticate(user=User.objects.get(pk=user.pk) if user else None)
        return api

    return as_user


@pytest.fixture
def adult(db) -> Patient:
    return factories.patient(nhs_number=factories.TEST_NHS_NUMBERS[0])


@pytest.fixture
def referral_body(adult, falls) -> Callable[..., dict]:
    def body(patient: Patient | None = None, need: NeedCategory | None = None, **overrides) -> dict:
        data = {
            "patient": str((patient or adult).public_id),
            "need": (need or falls).code,
            "referrer_type": "gp",
            "referrer_name": "Dr Jones",
            "referrer_organisation": "Leeds Road Practice",
            "referrer_phone": "0113 496 0000",
            "reason": "Fall at home, no injury, struggling to mobilise",
            "needs_description": "Assessment at home today",
        }
        return {**data, **overrides}

    return body
