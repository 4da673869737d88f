"""The same queue work done on the pages and over the API leaves the same records, history and
timeline (issue 12): one service behind both doors."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from directory.models import Signposting
from escalations.models import Clock
from tests import factories
from tests.parity import rows_snapshot
from triage import services
from triage.models import QueueItem


@pytest.fixture
def twins(referral, falls, call_handler):
    """Two like referrals waiting in the same queue: one worked on the pages, one over the API."""
    return referral, factories.referral(need=falls, actor=call_handler)


def web(client, actor):
    client.force_login(actor)
    return client


def api(actor):
    client = APIClient()
    client.force_authenticate(user=actor)
    return client


def records(referral):
    item = QueueItem.objects.get(referral=referral)
    return rows_snapshot([
        item,
        *item.decisions.order_by("pk"),
        *referral.timeline.order_by("occurred_at", "pk"),
        *Signposting.objects.filter(referral=referral).order_by("pk"),
    ])


def test_a_claim_on_the_page_and_over_the_api_agree(client, twins, clinician):
    on_page, over_api = twins

    page = web(client, clinician).post(reverse("triage:item_claim", args=[on_page.queue_item.public_id]))
    response = api(clinician).post(f"/api/v1/queue-items/{over_api.queue_item.public_id}/claim/")

    assert (page.status_code, response.status_code) == (302, 200)
    assert QueueItem.objects.get(referral=on_page).claimed_by == clinician
    assert records(on_page) == records(over_api)


def test_claim_next_on_the_page_and_over_the_api_agree(client, twins, clinician, physical_queue):
    first, second = twins  # the page takes the one due soonest, the API the next

    page = web(client, clinician).post(reverse("triage:queue_claim_next", args=[physical_queue.code]))
    response = api(clinician).post(f"/api/v1/queues/{physical_queue.code}/claim-next/")

    assert (page.status_code, response.status_code) == (302, 200)
    assert response.data["referral"]["reference"] == second.reference
    assert QueueItem.objects.get(referral=first).claimed_by == clinician
    assert records(first) == records(second)


def test_a_release_on_the_page_and_over_the_api_agree(client, twins, clinician):
    on_page, over_api = twins
    for referral in twins:
        services.queue_item_claim(item=referral.queue_item, actor=clinician)

    page = web(client, clinician).post(
        reverse("triage:item_release", args=[on_page.queue_item.public_id]), {"reason": "Going out on a visit"}
    )
    response = api(clinician).post(
        f"/api/v1/queue-items/{over_api.queue_item.public_id}/release/", {"reason": "Going out on a visit"}, format="json"
    )

    assert (page.status_code, response.status_code) == (302, 200)
    assert QueueItem.objects.get(referral=on_page).status == QueueItem.Status.WAITING
    assert records(on_page) == records(over_api)


def test_a_return_to_the_referrer_on_the_page_and_over_the_api_agree(client, twins, clinician):
    on_page, over_api = twins
    for referral in twins:
        services.queue_item_claim(item=referral.queue_item, actor=clinician)
    body = {"reason": "more_information_needed", "note": "Which leg is swollen, and since when?"}

    page = web(client, clinician).post(reverse("triage:item_return", args=[on_page.queue_item.public_id]), body)
    response = api(clinician).post(f"/api/v1/queue-items/{over_api.queue_item.public_id}/return/", body, format="json")

    assert (page.status_code, response.status_code) == (302, 200)
    assert QueueItem.objects.get(referral=on_page).status == QueueItem.Status.RETURNED
    assert records(on_page) == records(over_api)
    for referral in twins:  # the triage clock stops either way
        assert not Clock.objects.filter(subject_id=referral.pk, kind="triage", state=Clock.State.OPEN).exists()


def test_a_return_over_the_api_without_a_note_is_a_400_and_changes_nothing(twins, clinician):
    _, over_api = twins
    services.queue_item_claim(item=over_api.queue_item, actor=clinician)

    response = api(clinician).post(
        f"/api/v1/queue-items/{over_api.queue_item.public_id}/return/", {"reason": "not_for_this_service"}, format="json"
    )

    assert response.status_code == 400 and "note" in response.data
    assert QueueItem.objects.get(referral=over_api).status == QueueItem.Status.CLAIMED


def test_a_reassignment_on_the_page_and_over_the_api_agree(client, twins, clinician, other_clinician, team_lead):
    on_page, over_api = twins
    for referral in twins:
        services.queue_item_claim(item=referral.queue_item, actor=clinician)

    page = web(client, team_lead).post(
        reverse("triage:item_reassign", args=[on_page.queue_item.public_id]),
        {"to": other_clinician.pk, "reason": "Cover", "expected_holder": clinician.pk},
    )
    response = api(team_lead).post(
        f"/api/v1/queue-items/{over_api.queue_item.public_id}/reassign/",
        {"to": other_clinician.username, "reason": "Cover", "expected_holder": clinician.username}, format="json",
    )

    assert (page.status_code, response.status_code) == (302, 200)
    assert QueueItem.objects.get(referral=on_page).claimed_by == other_clinician
    assert records(on_page) == records(over_api)


def test_a_change_of_urgency_on_the_page_and_over_the_api_agree(client, twins, clinician):
    on_page, over_api = twins
    change = {"urgency": "very_urgent", "reason": "Carer rang back: still on the floor"}

    page = web(client, clinician).post(reverse("triage:item_urgency", args=[on_page.queue_item.public_id]), change)
    response = api(clinician).post(f"/api/v1/queue-items/{over_api.queue_item.public_id}/urgency/", change, format="json")

    assert (page.status_code, response.status_code) == (302, 200), response.data
    items = [QueueItem.objects.get(referral=referral) for referral in twins]
    assert [(item.urgency, item.urgency_reason) for item in items] == [(change["urgency"], change["reason"])] * 2
    assert records(on_page) == records(over_api)
    # The clock moved with each: due when the item is due, both the same time after routing.
    clocks = [Clock.objects.get(subject_id=referral.pk, kind="triage") for referral in twins]
    assert [clock.due_at for clock in clocks] == [item.due_at for item in items]
    assert items[0].due_at - items[0].routed_at == items[1].due_at - items[1].routed_at


DECISION = {"priority": "urgent", "risk_to_self": "none", "risk_to_others": "low", "risk_from_others": "none",
            "clinical_note": "Assessed by phone"}


@pytest.mark.parametrize(
    "outcome, page_extra, api_extra",
    [
        ("accept", {}, {}),
        ("transfer", {"transfer_to": "mental_queue.pk"}, {"transfer_to": "mental_queue.code"}),
        ("refer_on", {"referred_to": "Falls clinic"}, {"referred_to": "Falls clinic"}),
        ("signpost", {"signposted_to": "Age UK befriending"}, {"signposted_to": "Age UK befriending"}),
        ("signpost", {"directory_service": "service.pk"}, {"directory_service": "service.pk"}),
        ("no_further_action", {}, {}),
    ],
    ids=["accept", "transfer", "refer_on", "signpost", "signpost_directory_service", "no_further_action"],
)
def test_a_triage_decision_on_the_page_and_over_the_api_agree(
    client, twins, clinician, mental_queue, outcome, page_extra, api_extra
):
    on_page, over_api = twins
    values = {"mental_queue.pk": mental_queue.pk, "mental_queue.code": mental_queue.code}
    if "directory_service" in page_extra:
        values["service.pk"] = factories.directory_service(name="Northfield befriending").pk
    for referral in twins:
        services.queue_item_claim(item=referral.queue_item, actor=clinician)

    page = web(client, clinician).post(
        reverse("triage:item_triage", args=[on_page.queue_item.public_id]),
        {**DECISION, "outcome": outcome, "safeguarding_concern": "on",
         **{name: values.get(value, value) for name, value in page_extra.items()}},
    )
    response = api(clinician).post(
        f"/api/v1/queue-items/{over_api.queue_item.public_id}/triage/",
        {**DECISION, "outcome": outcome, "safeguarding_concern": True, "lone_working_risk": False,
         **{name: values.get(value, value) for name, value in api_extra.items()}},
        format="json",
    )

    assert (page.status_code, response.status_code) == (302, 201), (page.context and page.context["form"].errors, response.data)
    assert QueueItem.objects.get(referral=on_page).decisions.get().outcome == outcome
    assert records(on_page) == records(over_api)
    if "directory_service" in page_extra:
        assert Signposting.objects.filter(referral=on_page).count() == 1
