"""Registering a Transfer of Care patient: one service does all of it, for the page and the API."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from discharge import services
from discharge.models import RegisterEntry
from referrals.models import Patient


def details(ward, **overrides) -> dict:
    today = timezone.localdate()
    fields = {
        "given_name": "Edith", "family_name": "Crawley", "date_of_birth": today.replace(year=1938),
        "ward": ward, "admitted_on": today - timedelta(days=8), "consultant": "Dr Evans", "source": "ward",
        "referred_on": today - timedelta(days=6), "fit_on": today - timedelta(days=2),
    }
    return fields | overrides


def test_it_refuses_an_owner_outside_the_transfer_of_care_team(toc_nurse, call_handler, ward):
    with pytest.raises(ValidationError) as error:
        services.entry_register(actor=toc_nurse, idempotency_key="k", owner=call_handler, **details(ward))

    assert "Transfer of Care team" in error.value.message_dict["owner"][0]
    assert not RegisterEntry.objects.exists() and not Patient.objects.exists()


def test_it_refuses_a_team_member_who_has_left_as_owner(toc_nurse, toc_member, entry):
    toc_member.is_active = False
    toc_member.save()

    with pytest.raises(ValidationError) as error:
        services.entry_update(
            entry=entry, actor=toc_nurse, owner=toc_member, next_action="", next_action_due=None, fit_on=entry.fit_on
        )
    assert "owner" in error.value.message_dict


def test_it_accepts_any_team_member_as_owner(toc_nurse, toc_social_worker, ward):
    entry, created = services.entry_register(
        actor=toc_nurse, idempotency_key="k", owner=toc_social_worker, **details(ward)
    )
    assert created and entry.owner == toc_social_worker


def test_a_repeated_registration_makes_no_second_patient(toc_nurse, ward):
    """No NHS number: the repeat must be recognised before a patient is made for it."""
    first, _ = services.entry_register(actor=toc_nurse, idempotency_key="k", **details(ward))
    again, created = services.entry_register(actor=toc_nurse, idempotency_key="k", **details(ward))

    assert (again, created) == (first, False)
    assert Patient.objects.count() == 1


def test_the_page_and_the_api_both_refuse_an_owner_outside_the_team(client, login, toc_nurse, call_handler, ward):
    """The page only offers team members; a crafted post and the API are refused on owner alike."""
    today = timezone.localdate()
    client.force_login(toc_nurse)
    page = client.post(reverse("discharge:entry_register"), {
        "submission_key": "page", "given_name": "Edith", "family_name": "Crawley", "date_of_birth": "2 5 1938",
        "ward": ward.pk, "admitted_on": (today - timedelta(days=8)).strftime("%d %m %Y"), "consultant": "Dr Evans",
        "source": "ward", "referred_on": (today - timedelta(days=6)).strftime("%d %m %Y"), "owner": call_handler.pk,
    })
    api = login(toc_nurse).post("/api/v1/toc/register/", {
        "given_name": "Edith", "family_name": "Crawley", "date_of_birth": "1938-05-02", "ward": ward.code,
        "admitted_on": (today - timedelta(days=8)).isoformat(), "consultant": "Dr Evans", "source": "ward",
        "referred_on": (today - timedelta(days=6)).isoformat(), "owner": call_handler.username,
    }, format="json", HTTP_IDEMPOTENCY_KEY="api")

    assert page.status_code == 200 and "owner" in page.context["form"].errors
    assert api.status_code == 400 and "Transfer of Care team" in str(api.data["owner"])
    assert not RegisterEntry.objects.exists()


def test_the_api_refuses_an_nhs_number_with_a_wrong_check_digit_as_the_page_does(login, toc_nurse, ward):
    today = timezone.localdate()
    response = login(toc_nurse).post("/api/v1/toc/register/", {
        "nhs_number": "999 000 0019", "given_name": "Edith", "family_name": "Crawley", "date_of_birth": "1938-05-02",
        "ward": ward.code, "admitted_on": (today - timedelta(days=8)).isoformat(), "consultant": "Dr Evans",
        "source": "ward", "referred_on": (today - timedelta(days=6)).isoformat(),
    }, format="json", HTTP_IDEMPOTENCY_KEY="api")

    assert response.status_code == 400 and "check digit" in str(response.data["nhs_number"])
    assert not Patient.objects.exists()
