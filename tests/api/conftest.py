from collections.abc import Callable
from datetime import timedelta

import pytest
from django.utils import timezone

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


@pytest.fixture
def toc_body(ward) -> dict:
    """A registration on the TOC register by API, of a patient declared fit two days ago."""
    today = timezone.localdate()
    return {
        "nhs_number": "999 000 0034", "given_name": "Edith", "family_name": "Crawley", "date_of_birth": "1938-05-02",
        "ward": ward.code, "admitted_on": (today - timedelta(days=8)).isoformat(), "consultant": "Dr Evans",
        "source": "in_reach", "referred_on": (today - timedelta(days=6)).isoformat(),
        "fit_on": (today - timedelta(days=2)).isoformat(),
    }
