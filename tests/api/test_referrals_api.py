import uuid
from datetime import date, timedelta

import pytest
from django.utils import timezone
from rest_framework.authtoken.models import Token

from referrals.models import Patient, Referral
from tests import factories
from triage import services as triage_services

PATIENTS = "/api/v1/patients/"
REFERRALS = "/api/v1/referrals/"


def key() -> dict:
    return {"HTTP_IDEMPOTENCY_KEY": uuid.uuid4().hex}


def years_ago(years: int, days: int = 0) -> date:
    today = timezone.localdate()
    return today.replace(year=today.year - years) - timedelta(days=days)


# Patients


@pytest.mark.django_db
class TestPatients:
    def body(self, **overrides) -> dict:
        return {
            "nhs_number": "999 000 0026",
            "given_name": " Sam ",
            "family_name": "Patel",
            "date_of_birth": "1948-02-29",
            "postcode": "ls14ap",
            **overrides,
        }

    def test_create(self, login, call_handler):
        response = login(call_handler).post(PATIENTS, self.body(), format="json")

        assert response.status_code == 201, response.data
        assert response.data["nhs_number"] == "9990000026"
        assert response.data["nhs_number_display"] == "999 000 0026"
        assert response.data["given_name"] == "Sam"
        assert response.data["postcode"] == "LS1 4AP"
        patient = Patient.objects.get(public_id=response.data["public_id"])
        assert patient.history.get().history_user == call_handler

    def test_invalid_nhs_number_names_the_field(self, login, call_handler):
        response = login(call_handler).post(PATIENTS, self.body(nhs_number="999 000 0027"), format="json")

        assert response.status_code == 400
        assert "check digit" in response.data["nhs_number"][0]
        assert not Patient.objects.exists()

    def test_under_18_sent_to_childrens_services(self, login, call_handler):
        response = login(call_handler).post(
            PATIENTS, self.body(date_of_birth=years_ago(17).isoformat()), format="json"
        )

        assert response.status_code == 400
        assert "children's services" in response.data["date_of_birth"][0]

    def test_future_date_of_birth(self, login, call_handler):
        tomorrow = timezone.localdate() + timedelta(days=1)
        response = login(call_handler).post(PATIENTS, self.body(date_of_birth=tomorrow.isoformat()), format="json")

        assert response.status_code == 400
        assert "past" in response.data["date_of_birth"][0]

    def test_missing_fields(self, login, call_handler):
        response = login(call_handler).post(PATIENTS, {"nhs_number": ""}, format="json")

        assert response.status_code == 400
        assert set(response.data) == {"given_name", "family_name", "date_of_birth"}

    def test_duplicate_nhs_number_refused(self, login, call_handler, adult):
        same_person = {"given_name": adult.given_name, "family_name": adult.family_name,
                       "date_of_birth": adult.date_of_birth.isoformat()}
        response = login(call_handler).post(PATIENTS, self.body(nhs_number=adult.nhs_number, **same_person), format="json")

        assert response.status_code == 400
        assert "already recorded" in response.data["nhs_number"][0]
        assert Patient.objects.count() == 1

    def test_a_known_nhs_number_for_someone_else_is_a_409_with_both_people(self, login, call_handler, adult):
        response = login(call_handler).post(PATIENTS, self.body(nhs_number=adult.nhs_number), format="json")

        assert response.status_code == 409
        assert response.data["code"] == "identity_mismatch"
        assert response.data["recorded_patient"]["public_id"] == str(adult.public_id)
        assert Patient.objects.count() == 1

    def test_search_by_nhs_number(self, login, call_handler, adult):
        factories.patient(nhs_number=factories.TEST_NHS_NUMBERS[1])

        response = login(call_handler).get(PATIENTS, {"nhs_number": "999 000 0018"})

        assert response.status_code == 200
        assert [p["public_id"] for p in response.data] == [str(adult.public_id)]

    def test_search_by_name_and_date_of_birth(self, login, call_handler):
        wanted = factories.patient(given_name="Jo", family_name="Bloggs", date_of_birth=date(1940, 5, 1))
        factories.patient(given_name="Jo", family_name="Bloggs", date_of_birth=date(1941, 5, 1))

        response = login(call_handler).get(PATIENTS, {"name": "jo blo", "date_of_birth": "1940-05-01"})

        assert response.status_code == 200
        assert [p["public_id"] for p in response.data] == [str(wanted.public_id)]

    def test_search_needs_something_to_search_by(self, login, call_handler):
        response = login(call_handler).get(PATIENTS)

        assert response.status_code == 400
        assert "nhs_number" in str(response.data["non_field_errors"])

    def test_search_with_invalid_nhs_number(self, login, call_handler):
        response = login(call_handler).get(PATIENTS, {"nhs_number": "123"})

        assert response.status_code == 400
        assert "nhs_number" in response.data

    def test_get(self, login, call_handler, adult):
        response = login(call_handler).get(f"{PATIENTS}{adult.public_id}/")

        assert response.status_code == 200
        assert response.data["full_name"] == adult.full_name

    def test_get_unknown(self, login, call_handler):
        assert login(call_handler).get(f"{PATIENTS}{uuid.uuid4()}/").status_code == 404


# Recording referrals


@pytest.mark.django_db
class TestReferralCreate:
    def test_created_and_routed(self, login, call_handler, referral_body, adult, physical_queue):
        response = login(call_handler).post(REFERRALS, referral_body(), format="json", **key())

        assert response.status_code == 201, response.data
        referral = Referral.objects.get()
        assert response.data["public_id"] == str(referral.public_id)
        assert response.data["reference"] == referral.reference
        assert response.data["channel"] == Referral.Channel.ELECTRONIC
        assert response.data["patient"]["public_id"] == str(adult.public_id)
        assert response.data["need"] == "falls"
        assert response.data["queue"] == physical_queue.code
        assert response.data["status"] == "waiting"
        assert response.data["received_by"] == str(call_handler)
        assert [event["kind"] for event in response.data["timeline"]] == ["received", "routed"]
        assert response.data["timeline"][0]["actor"] == str(call_handler)
        assert response.data["timeline"][1]["actor"] is None
        assert response.data["decisions"] == []
        assert referral.queue_item.queue == physical_queue
        assert referral.received_by == call_handler

    def test_same_key_twice_records_once(self, login, call_handler, referral_body):
        client = login(call_handler)
        headers = key()

        first = client.post(REFERRALS, referral_body(), format="json", **headers)
        second = client.post(REFERRALS, referral_body(), format="json", **headers)

        assert first.status_code == 201
        assert second.status_code == 200
        assert second.data == first.data
        assert Referral.objects.count() == 1

    def test_key_used_by_someone_else_conflicts(self, login, call_handler, referral_body):
        headers = key()
        login(call_handler).post(REFERRALS, referral_body(), format="json", **headers)

        response = login(factories.user("call_handler")).post(REFERRALS, referral_body(), format="json", **headers)

        assert response.status_code == 409
        assert response.data["code"] == "conflict"
        assert Referral.objects.count() == 1

    @pytest.mark.parametrize("headers", [{}, {"HTTP_IDEMPOTENCY_KEY": ""}, {"HTTP_IDEMPOTENCY_KEY": "k" * 65}])
    def test_idempotency_key_required(self, login, call_handler, referral_body, headers):
        response = login(call_handler).post(REFERRALS, referral_body(), format="json", **headers)

        assert response.status_code == 400
        assert "Idempotency-Key header" in response.data["Idempotency-Key"][0]
        assert not Referral.objects.exists()

    @pytest.mark.parametrize("patient", [str(uuid.uuid4()), "not-a-uuid"])
    def test_unknown_patient(self, login, call_handler, referral_body, patient):
        response = login(call_handler).post(REFERRALS, {**referral_body(), "patient": patient}, format="json", **key())

        assert response.status_code == 400
        assert set(response.data) == {"patient"}

    def test_unknown_need(self, login, call_handler, referral_body):
        response = login(call_handler).post(REFERRALS, {**referral_body(), "need": "no-such"}, format="json", **key())

        assert response.status_code == 400
        assert "no-such" in response.data["need"][0]

    def test_need_switched_off_refused(self, login, call_handler, referral_body, falls):
        falls.is_active = False
        falls.save()

        response = login(call_handler).post(REFERRALS, referral_body(), format="json", **key())

        assert response.status_code == 400
        assert "need" in response.data

    def test_invalid_choice_and_missing_fields(self, login, call_handler, referral_body):
        body = referral_body(referrer_type="astrologer")
        del body["reason"]

        response = login(call_handler).post(REFERRALS, body, format="json", **key())

        assert response.status_code == 400
        assert set(response.data) == {"referrer_type", "reason"}

    def test_child_patient_refused(self, login, call_handler, referral_body):
        child = factories.patient(date_of_birth=years_ago(12))

        response = login(call_handler).post(REFERRALS, referral_body(patient=child), format="json", **key())

        assert response.status_code == 400
        assert "children's services" in response.data["patient"][0]
        assert not Referral.objects.exists()

    def test_queue_switched_off_routes_to_fallback(self, login, call_handler, referral_body, mental_queue):
        closed = factories.duty_queue(code="closed", name="Closed queue", is_active=False)
        need = factories.need(queue=closed, fallback=mental_queue)

        response = login(call_handler).post(REFERRALS, referral_body(need=need), format="json", **key())

        assert response.status_code == 201
        assert response.data["queue"] == mental_queue.code
        assert "Closed queue is switched off" in response.data["timeline"][1]["summary"]

    def test_queue_and_fallback_switched_off(self, login, call_handler, referral_body):
        closed = factories.duty_queue(is_active=False)
        need = factories.need(queue=closed, fallback=factories.duty_queue(is_active=False))

        response = login(call_handler).post(REFERRALS, referral_body(need=need), format="json", **key())

        assert response.status_code == 400
        assert "switched off" in response.data["need"][0]
        assert not Referral.objects.exists()

    def test_with_a_token(self, api, call_handler, referral_body):
        """A system that refers electronically signs in with a token, not a session."""
        token = Token.objects.create(user=call_handler)
        api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")

        response = api.post(REFERRALS, referral_body(), format="json", **key())

        assert response.status_code == 201
        assert Referral.objects.get().received_by == call_handler
        assert api.get(REFERRALS).data["count"] == 1

    def test_bad_token_refused(self, api, referral_body):
        api.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")

        response = api.post(REFERRALS, referral_body(), format="json", **key())

        assert response.status_code == 401
        assert response["WWW-Authenticate"] == "Token"
        assert not Referral.objects.exists()


# Reading referrals


@pytest.mark.django_db
class TestReferralRead:
    def test_list(self, login, call_handler, falls, physical_queue):
        older = factories.referral(need=falls, actor=call_handler, received_at=timezone.now() - timedelta(hours=1))
        newer = factories.referral(need=falls, actor=call_handler)

        response = login(call_handler).get(REFERRALS)

        assert response.status_code == 200
        assert response.data["count"] == 2
        assert [r["public_id"] for r in response.data["results"]] == [str(newer.public_id), str(older.public_id)]
        row = response.data["results"][0]
        assert row["reference"] == newer.reference
        assert row["queue"] == physical_queue.code
        assert row["status"] == "waiting"
        assert row["claimed_by"] is None
        assert row["need"] == "falls"
        assert row["patient"]["full_name"] == newer.patient.full_name

    def test_list_is_paginated(self, login, call_handler, falls):
        for _ in range(3):
            factories.referral(need=falls, actor=call_handler)

        response = login(call_handler).get(REFERRALS, {"limit": 2})

        assert response.data["count"] == 3
        assert len(response.data["results"]) == 2
        assert response.data["next"]

    def test_detail_with_timeline_and_decisions(self, login, clinician, referral):
        item = triage_services.queue_item_claim(item=referral.queue_item, actor=clinician)
        triage_services.triage_decision_record(
            item=item, actor=clinician, priority="urgent", outcome="accept", clinical_note="Visit today"
        )

        response = login(clinician).get(f"{REFERRALS}{referral.public_id}/")

        assert response.status_code == 200
        assert response.data["status"] == "triaged"
        assert response.data["claimed_by"] == str(clinician)
        assert [e["kind"] for e in response.data["timeline"]] == ["received", "routed", "claimed", "triaged"]
        assert response.data["timeline"][2]["actor"] == str(clinician)
        [decision] = response.data["decisions"]
        assert decision["priority"] == "urgent"
        assert decision["outcome"] == "accept"
        assert decision["decided_by"] == str(clinician)

    def test_detail_unknown(self, login, call_handler):
        assert login(call_handler).get(f"{REFERRALS}{uuid.uuid4()}/").status_code == 404

    def test_list_query_count_does_not_grow(self, login, call_handler, falls, django_assert_num_queries):
        clinician = factories.user("duty_clinician", queues=[falls.routing_rule.queue])
        for size in (5, 10):
            # Every row claimed, so claimed_by is read on each one too.
            while Referral.objects.count() < size:
                referral = factories.referral(need=falls, actor=call_handler)
                triage_services.queue_item_claim(item=referral.queue_item, actor=clinician)

            # A count and a page for a call handler, who sees everything.
            client = login(call_handler)
            with django_assert_num_queries(2):
                response = client.get(REFERRALS)
            assert len(response.data["results"]) == size
            # A clinician's scope costs one more: the queues they work.
            client = login(clinician)
            with django_assert_num_queries(3):
                response = client.get(REFERRALS)
            assert len(response.data["results"]) == size
            assert {row["claimed_by"] for row in response.data["results"]} == {str(clinician)}


# The front desk's rules over the API: postcode search, the probable duplicate check, the referring practice.


@pytest.mark.django_db
def test_patients_are_found_by_postcode_however_typed(login, call_handler):
    wanted = factories.patient(postcode="LS6 2AB")
    factories.patient(postcode="LS1 4AP")

    response = login(call_handler).get("/api/v1/patients/", {"postcode": "ls62ab"})

    assert response.status_code == 200
    assert [row["public_id"] for row in response.data] == [str(wanted.public_id)]


@pytest.mark.django_db
def test_a_bad_postcode_search_is_a_clear_400(login, call_handler):
    response = login(call_handler).get("/api/v1/patients/", {"postcode": "x" * 9})

    assert response.status_code == 400
    assert "postcode" in response.data


@pytest.mark.django_db
def test_a_probable_duplicate_needs_confirming_over_the_api_too(login, call_handler):
    factories.patient(given_name="Edith", family_name="Crawley", date_of_birth="1940-05-01", postcode="LS6 2AB")
    body = {"given_name": "Edith", "family_name": "Crawley", "date_of_birth": "1940-05-01", "postcode": "LS6 2AB"}
    client = login(call_handler)

    refused = client.post("/api/v1/patients/", body, format="json")
    confirmed = client.post("/api/v1/patients/", {**body, "confirmed_different": True}, format="json")

    assert refused.status_code == 400
    assert "same name, date of birth and postcode" in refused.data["confirmed_different"][0]
    assert confirmed.status_code == 201


@pytest.mark.django_db
def test_a_referral_over_the_api_names_the_referring_practice_by_ods_code(login, call_handler, referral_body, practice, referrer):
    response = login(call_handler).post(
        "/api/v1/referrals/", referral_body(referring_practice="B86001"), format="json", HTTP_IDEMPOTENCY_KEY="ods-1"
    )
    unknown = login(call_handler).post(
        "/api/v1/referrals/", referral_body(referring_practice="Z99999"), format="json", HTTP_IDEMPOTENCY_KEY="ods-2"
    )

    assert response.status_code == 201
    assert login(referrer).get("/api/v1/tracked-referrals/").data["count"] == 1
    assert unknown.status_code == 400 and "No GP practice with ODS code Z99999" in unknown.data["referring_practice"][0]
