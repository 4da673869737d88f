from collections.abc import Callable

import pytest

from referrals.models import NeedCategory, Patient
from tests import factories


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
