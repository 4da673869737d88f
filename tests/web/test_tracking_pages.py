"""Referral tracking for referrers: where their patient's referral is, and nothing more."""

import pytest
from django.urls import reverse

from tests import factories
from triage import services as triage_services


@pytest.fixture
def referrer_client(client, referrer):
    client.force_login(referrer)
    return client


def test_a_referrer_sees_only_their_practices_referrals(referrer_client, practice_referral, falls, call_handler):
    factories.referral(need=falls, actor=call_handler)  # no practice
    factories.referral(need=falls, actor=call_handler, referring_practice=factories.gp_practice())

    response = referrer_client.get(reverse("referrals:tracking_list"))

    assert [referral for referral, _ in response.context["rows"]] == [practice_referral]


def test_a_ward_referrer_sees_only_their_wards_referrals(client, falls, call_handler):
    ward = factories.ward_team(name="Ward 12")
    mine = factories.referral(need=falls, actor=call_handler, referring_ward=ward, referrer_type="ward")
    factories.referral(need=falls, actor=call_handler, referring_ward=factories.ward_team(), referrer_type="ward")
    client.force_login(factories.user("referrer", team=ward, organisation=ward.organisation))

    response = client.get(reverse("referrals:tracking_list"))

    assert [referral for referral, _ in response.context["rows"]] == [mine]


def test_tracking_shows_received_queued_with_whom_and_next_step(referrer_client, practice_referral):
    response = referrer_client.get(reverse("referrals:tracking_detail", args=[practice_referral.public_id]))

    body = response.content.decode()
    assert "Queued for triage" in body
    assert "Physical health duty queue" in body
    assert "Waiting in the Physical health duty queue for triage, due by" in body


def test_tracking_follows_the_referral_through_triage(referrer_client, practice_referral, clinician):
    url = reverse("referrals:tracking_detail", args=[practice_referral.public_id])
    item = triage_services.queue_item_claim(item=practice_referral.queue_item, actor=clinician)
    assert "Being triaged" in referrer_client.get(url).content.decode()

    triage_services.triage_decision_record(
        item=item, actor=clinician, priority="urgent", outcome="accept", clinical_note="Known to team; lives alone"
    )

    body = referrer_client.get(url).content.decode()
    assert "Triaged" in body
    assert "Accepted for rapid response" in body


def test_tracking_shows_nothing_clinical(referrer_client, practice_referral, clinician):
    item = triage_services.queue_item_claim(item=practice_referral.queue_item, actor=clinician)
    triage_services.triage_decision_record(
        item=item, actor=clinician, priority="urgent", outcome="accept", clinical_note="SECRET-CLINICAL-NOTE"
    )
    patient = practice_referral.patient

    body = referrer_client.get(reverse("referrals:tracking_detail", args=[practice_referral.public_id])).content.decode()
    listing = referrer_client.get(reverse("referrals:tracking_list")).content.decode()

    for page in (body, listing):
        assert "SECRET-CLINICAL-NOTE" not in page
        assert practice_referral.reason not in page
        assert patient.postcode not in page
        assert str(clinician) not in page
    assert patient.full_name in body


def test_the_tracking_list_is_a_fixed_number_of_queries(referrer_client, practice, falls, call_handler, django_assert_num_queries):
    factories.referral(need=falls, actor=call_handler, referring_practice=practice)
    url = reverse("referrals:tracking_list")
    referrer_client.get(url)

    # session, user, the user's practice (named in the heading), their unread notifications (the
    # header's count: each step of a journey is told there), referrals with patient, queue, team, outcome
    with django_assert_num_queries(5):
        referrer_client.get(url)
    for _ in range(5):
        factories.referral(need=falls, actor=call_handler, referring_practice=practice)
    with django_assert_num_queries(5):
        response = referrer_client.get(url)
    assert len(response.context["rows"]) == 6


def test_a_referral_cannot_name_a_non_practice_as_its_gp_practice(falls, call_handler):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        factories.referral(need=falls, actor=call_handler, referring_practice=factories.organisation())
    assert "referring_practice" in error.value.message_dict


def test_a_referrer_without_a_practice_or_ward_tracks_nothing(client, practice_referral):
    client.force_login(factories.user("referrer"))

    assert client.get(reverse("referrals:tracking_list")).context["rows"] == []
    assert client.get(reverse("referrals:tracking_detail", args=[practice_referral.public_id])).status_code == 404
