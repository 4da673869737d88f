from datetime import timedelta

import pytest
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from tests import factories
from triage import services as triage_services
from triage.models import QueueItem, TriageDecision

QUEUES = "/api/v1/queues/"


def items_url(code: str) -> str:
    return f"{QUEUES}{code}/items/"


def claim_url(item: QueueItem) -> str:
    return f"/api/v1/queue-items/{item.public_id}/claim/"


def triage_url(item: QueueItem) -> str:
    return f"/api/v1/queue-items/{item.public_id}/triage/"


DECISION = {
    "priority": "urgent",
    "outcome": "accept",
    "clinical_note": "Visit today: falls assessment",
    # Issue 5: the structured risk assessment is part of every decision.
    "risk_to_self": "none",
    "risk_to_others": "none",
    "risk_from_others": "low",
    "safeguarding_concern": False,
    "lone_working_risk": False,
}


@pytest.mark.django_db
class TestQueues:
    def test_list_counts_open_work(self, login, clinician, other_clinician, call_handler, falls, crisis, physical_queue):
        first = factories.referral(need=falls, actor=call_handler)
        factories.referral(need=falls, actor=call_handler)
        claimed = factories.referral(need=falls, actor=call_handler)
        triage_services.queue_item_claim(item=claimed.queue_item, actor=other_clinician)
        factories.referral(need=crisis, actor=call_handler)  # another queue: not shown

        response = login(clinician).get(QUEUES)

        assert response.status_code == 200
        [queue] = response.data["results"]
        assert queue["code"] == physical_queue.code
        assert queue["name"] == physical_queue.name
        assert queue["is_active"] is True
        assert queue["triage_target_minutes"] == 120
        assert queue["waiting_count"] == 2
        assert queue["claimed_count"] == 1
        assert parse_datetime(queue["next_due_at"]) == first.queue_item.due_at

    def test_manager_sees_every_queue(self, login, manager, physical_queue, mental_queue):
        response = login(manager).get(QUEUES)

        assert [q["code"] for q in response.data["results"]] == [mental_queue.code, physical_queue.code]
        assert response.data["results"][0]["next_due_at"] is None

    def test_items_ordered_by_due_at(self, login, clinician, call_handler, falls, crisis, physical_queue):
        now = timezone.now()
        # Received first, but under a long target: due last.
        physical_queue.triage_target_minutes = 240
        physical_queue.save()
        slow = factories.referral(need=falls, actor=call_handler, received_at=now - timedelta(minutes=30))
        physical_queue.triage_target_minutes = 30
        physical_queue.save()
        fast = factories.referral(need=falls, actor=call_handler, received_at=now - timedelta(minutes=10))
        faster = factories.referral(need=falls, actor=call_handler, received_at=now - timedelta(minutes=20))
        factories.referral(need=crisis, actor=call_handler, received_at=now - timedelta(hours=5))
        done = factories.referral(need=falls, actor=call_handler, received_at=now - timedelta(hours=5))
        triage_services.queue_item_claim(item=done.queue_item, actor=clinician)
        triage_services.triage_decision_record(item=done.queue_item, actor=clinician, **DECISION)

        response = login(clinician).get(items_url(physical_queue.code))

        assert response.status_code == 200
        references = [row["referral"]["reference"] for row in response.data["results"]]
        assert references == [faster.reference, fast.reference, slow.reference]
        row = response.data["results"][0]
        assert row["public_id"] == str(faster.queue_item.public_id)
        assert row["status"] == "waiting"
        assert row["claimed_by"] is None
        assert row["referral"]["public_id"] == str(faster.public_id)
        assert row["referral"]["patient_name"] == faster.patient.full_name
        assert row["referral"]["need"] == "falls"
        assert row["referral"]["need_name"] == "Falls"

    def test_items_query_count_does_not_grow(self, login, clinician, other_clinician, call_handler, falls,
                                             physical_queue, django_assert_num_queries):
        for size in (5, 10):
            while QueueItem.objects.count() < size:
                referral = factories.referral(need=falls, actor=call_handler)
                triage_services.queue_item_claim(item=referral.queue_item, actor=other_clinician)
            client = login(clinician)
            # The clinician's queues, the queue, a count and a page.
            with django_assert_num_queries(4):
                response = client.get(items_url(physical_queue.code))
            assert len(response.data["results"]) == size
            assert {row["claimed_by"] for row in response.data["results"]} == {str(other_clinician)}

    def test_unknown_queue(self, login, clinician):
        assert login(clinician).get(items_url("no-such-queue")).status_code == 404


@pytest.mark.django_db
class TestClaim:
    def test_claim(self, login, clinician, referral):
        response = login(clinician).post(claim_url(referral.queue_item))

        assert response.status_code == 200, response.data
        assert response.data["public_id"] == str(referral.queue_item.public_id)
        assert response.data["status"] == "claimed"
        assert response.data["claimed_by"] == str(clinician)
        item = QueueItem.objects.get()
        assert item.claimed_by == clinician
        assert item.referral.timeline.last().kind == "claimed"

    def test_claim_again_is_harmless(self, login, clinician, referral):
        client = login(clinician)
        client.post(claim_url(referral.queue_item))

        response = client.post(claim_url(referral.queue_item))

        assert response.status_code == 200
        assert response.data["claimed_by"] == str(clinician)

    def test_second_clinician_told_who_has_it(self, login, clinician, other_clinician, referral):
        login(clinician).post(claim_url(referral.queue_item))

        response = login(other_clinician).post(claim_url(referral.queue_item))

        assert response.status_code == 409
        assert response.data["code"] == "conflict"
        assert f"already claimed by {clinician}" in response.data["detail"]
        assert QueueItem.objects.get().claimed_by == clinician

    def test_claim_triaged_item(self, login, clinician, referral):
        triage_services.queue_item_claim(item=referral.queue_item, actor=clinician)
        triage_services.triage_decision_record(item=referral.queue_item, actor=clinician, **DECISION)

        response = login(clinician).post(claim_url(referral.queue_item))

        assert response.status_code == 409
        assert "already been triaged" in response.data["detail"]

    def test_claim_next_takes_the_one_due_soonest(self, login, clinician, call_handler, falls, physical_queue):
        now = timezone.now()
        later = factories.referral(need=falls, actor=call_handler, received_at=now - timedelta(minutes=5))
        sooner = factories.referral(need=falls, actor=call_handler, received_at=now - timedelta(minutes=50))

        response = login(clinician).post(f"{QUEUES}{physical_queue.code}/claim-next/")

        assert response.status_code == 200
        assert response.data["public_id"] == str(sooner.queue_item.public_id)
        assert response.data["claimed_by"] == str(clinician)
        later.queue_item.refresh_from_db()
        assert later.queue_item.status == "waiting"

    def test_claim_next_with_nothing_waiting(self, login, clinician, physical_queue):
        response = login(clinician).post(f"{QUEUES}{physical_queue.code}/claim-next/")

        assert response.status_code == 204
        assert not response.content


@pytest.mark.django_db
class TestTriage:
    def test_without_claim(self, login, clinician, referral):
        response = login(clinician).post(triage_url(referral.queue_item), DECISION, format="json")

        assert response.status_code == 409
        assert "Claim this referral" in response.data["detail"]
        assert not TriageDecision.objects.exists()

    def test_after_claim(self, login, clinician, referral):
        client = login(clinician)
        client.post(claim_url(referral.queue_item))

        response = client.post(triage_url(referral.queue_item), DECISION, format="json")

        assert response.status_code == 201, response.data
        decision = TriageDecision.objects.get()
        assert response.data["public_id"] == str(decision.public_id)
        assert response.data["priority"] == "urgent"
        assert response.data["outcome"] == "accept"
        assert response.data["clinical_note"] == DECISION["clinical_note"]
        assert response.data["decided_by"] == str(clinician)
        assert QueueItem.objects.get().status == QueueItem.Status.TRIAGED

    def test_twice(self, login, clinician, referral):
        client = login(clinician)
        client.post(claim_url(referral.queue_item))
        client.post(triage_url(referral.queue_item), DECISION, format="json")

        response = client.post(triage_url(referral.queue_item), DECISION, format="json")

        assert response.status_code == 409
        assert "already been triaged" in response.data["detail"]
        assert TriageDecision.objects.count() == 1

    def test_claimed_by_someone_else(self, login, clinician, other_clinician, referral):
        login(clinician).post(claim_url(referral.queue_item))

        response = login(other_clinician).post(triage_url(referral.queue_item), DECISION, format="json")

        assert response.status_code == 409
        assert str(clinician) in response.data["detail"]
        assert not TriageDecision.objects.exists()

    @pytest.mark.parametrize(
        "change, field",
        [
            ({"priority": "whenever"}, "priority"),
            ({"outcome": "shrug"}, "outcome"),
            ({"clinical_note": ""}, "clinical_note"),
        ],
    )
    def test_invalid(self, login, clinician, referral, change, field):
        client = login(clinician)
        client.post(claim_url(referral.queue_item))

        response = client.post(triage_url(referral.queue_item), {**DECISION, **change}, format="json")

        assert response.status_code == 400
        assert set(response.data) == {field}
        assert QueueItem.objects.get().status == QueueItem.Status.CLAIMED

    def test_missing_fields(self, login, clinician, referral):
        client = login(clinician)
        client.post(claim_url(referral.queue_item))

        response = client.post(triage_url(referral.queue_item), {}, format="json")

        assert response.status_code == 400
        assert set(response.data) == {
            "priority", "outcome", "clinical_note",
            "risk_to_self", "risk_to_others", "risk_from_others", "safeguarding_concern", "lone_working_risk",
        }


@pytest.mark.django_db
def test_a_signpost_over_the_api_can_name_a_directory_service(login, clinician, referral):
    from directory.models import Signposting

    service = factories.directory_service(name="Falls prevention classes")
    triage_services.queue_item_claim(item=referral.queue_item, actor=clinician)

    response = login(clinician).post(
        triage_url(referral.queue_item),
        {**DECISION, "outcome": "signpost", "directory_service": str(service.pk)},
        format="json",
    )

    assert response.status_code == 201, response.data
    assert TriageDecision.objects.get().signposted_to == "Falls prevention classes"
    assert (Signposting.objects.get().referral, Signposting.objects.get().service) == (referral, service)
