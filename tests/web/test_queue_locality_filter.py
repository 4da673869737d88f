"""The duty queue's locality filter: the community nursing locality team a referral is allocated to,
with the patient's postcode district kept as a second filter."""

import pytest
from django.urls import reverse

from referrals.models import CommunityNursingSettings
from tests import factories


@pytest.fixture
def community_nursing(physical_queue):
    return factories.need(queue=physical_queue, code="community-nursing", name="Community nursing",
                          allocate_to_locality_team=True)


@pytest.fixture
def north_and_south(db):
    north, south = factories.team(name="Community nursing North"), factories.team(name="Community nursing South")
    CommunityNursingSettings.objects.create(default_team=south)
    return north, south


def refer(need, *, practice=None, postcode="LS1 4AP"):
    patient = factories.patient(gp_practice=practice, postcode=postcode)
    return factories.referral(need=need, actor=factories.user(), patient_=patient)


@pytest.fixture
def allocated(community_nursing, north_and_south, falls):
    north, south = north_and_south
    practice = factories.gp_practice(name="Upper Northfield Practice")
    factories.practice_locality(practice, north)
    return {
        "north_ls1": refer(community_nursing, practice=practice, postcode="LS1 4AP"),
        "north_ls6": refer(community_nursing, practice=practice, postcode="LS6 2QT"),
        "south": refer(community_nursing, postcode="LS6 1AA"),  # no practice: the default team
        "falls": refer(falls, postcode="LS6 3BB"),  # not community nursing: no team
    }


def queue_page(client, user, queue, **params):
    client.force_login(user)
    return client.get(reverse("triage:queue_detail", args=[queue.code]), params)


def shown(response):
    return {item.referral for item in response.context["items"]}


def test_the_queue_offers_the_locality_teams_of_its_open_items_and_filters_by_one(client, clinician, physical_queue, allocated, north_and_south):
    north, south = north_and_south

    response = queue_page(client, clinician, physical_queue, allocated_team=str(north.pk))

    assert response.context["locality_teams"] == [north, south]
    body = response.content.decode()
    assert 'name="allocated_team"' in body and f'<option value="{north.pk}" selected>' in body
    assert shown(response) == {allocated["north_ls1"], allocated["north_ls6"]}


def test_the_locality_team_and_the_postcode_district_filter_together(client, clinician, physical_queue, allocated, north_and_south):
    north, _ = north_and_south

    response = queue_page(client, clinician, physical_queue, allocated_team=str(north.pk), postcode_district="ls6")

    assert shown(response) == {allocated["north_ls6"]}
    assert shown(queue_page(client, clinician, physical_queue, postcode_district="LS6")) == {
        allocated["north_ls6"], allocated["south"], allocated["falls"]
    }


def test_a_queue_with_no_allocated_items_offers_only_the_postcode_district(client, clinician, physical_queue, falls):
    refer(falls)

    response = queue_page(client, clinician, physical_queue)

    assert response.context["locality_teams"] == []
    body = response.content.decode()
    assert 'name="allocated_team"' not in body and 'name="postcode_district"' in body


def test_a_team_whose_items_are_all_triaged_is_no_longer_offered(client, clinician, physical_queue, community_nursing, north_and_south):
    referral = refer(community_nursing)
    factories.triaged(referral_=referral, clinician=clinician)

    assert queue_page(client, clinician, physical_queue).context["locality_teams"] == []


def test_a_nonsense_locality_team_is_ignored(client, clinician, physical_queue, allocated):
    response = queue_page(client, clinician, physical_queue, allocated_team="north'; --")

    assert shown(response) == set(allocated.values())


def test_the_api_filters_the_queue_by_locality_team(client, clinician, physical_queue, allocated, north_and_south):
    _, south = north_and_south
    client.force_login(clinician)

    response = client.get(f"/api/v1/queues/{physical_queue.code}/items/", {"allocated_team": south.pk})

    assert response.status_code == 200
    assert [row["referral"]["reference"] for row in response.json()["results"]] == [allocated["south"].reference]
