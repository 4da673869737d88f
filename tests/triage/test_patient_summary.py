"""Issue 13: the duty clinician triaging a referral sees the whole person beside it: the patient's
other referrals and their outcomes, open IRR episodes (whichever team), hospital stays and contacts
in the last 90 days, each in one bounded query; and the look is logged."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from ccc.models import AccessLog, User
from referrals import patient_page
from referrals.patient_page import SUMMARY_ALERTS_ORDER, SUMMARY_PARTS, register_summary_part
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def known(falls, call_handler, clinician, toc_nurse, ward):
    """A patient triaged before (signposted), now referred again and claimed by the clinician; an
    episode open with another team's lead; a hospital stay; two recent contacts and an old one."""
    patient = factories.patient(nhs_number=factories.TEST_NHS_NUMBERS[5])
    earlier = factories.referral(need=falls, actor=call_handler, patient_=patient)
    factories.triaged(referral_=earlier, clinician=clinician, outcome="signpost", signposted_to="Befriending")
    north = factories.team(name="IRR north")
    elsewhere = factories.user(User.Role.DUTY_CLINICIAN, queues=[earlier.queue_item.queue], team=north)
    second = factories.referral(need=falls, actor=call_handler, patient_=patient)
    factories.episode(decision=factories.triaged(referral_=second, clinician=elsewhere), lead=elsewhere, team=north)
    factories.register_entry(actor=toc_nurse, ward_=ward, patient_=patient)
    now = timezone.now()
    for days in (3, 40, 120):
        factories.contact(actor=call_handler, patient=patient, started_at=now - timedelta(days=days))
    current = factories.referral(need=falls, actor=call_handler, patient_=patient)
    factories.claimed(item=current.queue_item, actor=clinician)
    return current


def _triage_page(client, person, referral):
    client.force_login(person)
    return client.get(reverse("triage:item_triage", args=[referral.queue_item.public_id]))


def test_the_triage_page_shows_the_whole_person(client, known, clinician, ward):
    response = _triage_page(client, clinician, known)

    parts = {part.name: part.context for part in response.context["summary_parts"]}
    assert [r.pk for r in parts["previous_referrals"]["referrals"]][0] == known.pk
    assert "Signpost to a service" in {r.triage_outcome_label for r in parts["previous_referrals"]["referrals"]}
    assert [episode.team.name for episode in parts["open_episodes"]["episodes"]] == ["IRR north"]
    assert [stay.ward for stay in parts["hospital_stays"]["stays"]] == [ward]
    assert parts["recent_contacts"]["count"] == 2  # the contact 120 days ago is outside the 90
    body = response.content.decode()
    assert "IRR north" in body and "Open the patient's page" in body


def test_the_triage_page_logs_the_look_at_the_referral(client, known, clinician):
    _triage_page(client, clinician, known)

    row = AccessLog.objects.get()
    assert (row.actor, row.kind, row.record_id, row.patient_id) == (clinician, "referral", str(known.public_id), known.patient_id)


def test_the_summary_costs_the_same_queries_however_much_the_patient_has(
    client, known, clinician, call_handler, falls, django_assert_max_num_queries
):
    _triage_page(client, clinician, known)

    def counted() -> int:
        with django_assert_max_num_queries(100) as captured:
            _triage_page(client, clinician, known)
        return len(captured.captured_queries)

    # The summary's own: may this person open the record (one EXISTS), referrals, episodes, stays,
    # contacts, and the access log's insert; the rest is the triage page as it was, with the
    # patient's safety alerts.
    before = counted()
    assert before == 24
    for _ in range(3):
        factories.contact(actor=call_handler, patient=known.patient)
        factories.referral(need=falls, actor=call_handler, patient_=known.patient)
    assert counted() == before


def test_the_summary_lists_are_bounded(client, known, clinician, call_handler, falls):
    for _ in range(12):
        factories.referral(need=falls, actor=call_handler, patient_=known.patient)

    response = _triage_page(client, clinician, known)

    parts = {part.name: part.context for part in response.context["summary_parts"]}
    assert len(parts["previous_referrals"]["referrals"]) == 10


def test_safety_alerts_have_a_place_at_the_top_of_the_summary(client, known, clinician, monkeypatch):
    monkeypatch.setattr(patient_page, "SUMMARY_PARTS", dict(SUMMARY_PARTS))
    register_summary_part("alerts", SUMMARY_ALERTS_ORDER, lambda patient, fetched_by: {"alerts": []},
                          "referrals/_summary_contacts.html")

    names = [part.name for part in _triage_page(client, clinician, known).context["summary_parts"]]

    assert names == ["alerts", "previous_referrals", "open_episodes", "hospital_stays", "recent_contacts"]
