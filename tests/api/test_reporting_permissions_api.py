"""Who may use the data-out endpoints: FHIR as the referral API; the joint data set as the dashboard."""

import pytest

PEOPLE = ["call_handler", "clinician", "mental_clinician", "toc_member", "team_lead", "manager", "administrator"]
# FHIR ServiceRequests follow referral.view (a duty clinician or team lead sees their own queues' referrals).
FHIR_ALLOWED = {"call_handler", "clinician", "mental_clinician", "team_lead", "manager", "administrator"}
JOINT_ALLOWED = {"team_lead", "manager", "administrator"}


@pytest.mark.parametrize("person", [None, *PEOPLE])
def test_the_fhir_search_answers_who_may_see_referrals(login, request, referral, person):
    user = request.getfixturevalue(person) if person else None

    response = login(user).get("/api/v1/fhir/ServiceRequest/")

    if person in FHIR_ALLOWED:
        assert response.status_code == 200
    else:
        assert response.status_code in (401, 403)


@pytest.mark.parametrize("person", [None, *PEOPLE])
def test_one_fhir_service_request_answers_who_may_see_that_referral(login, request, referral, person):
    user = request.getfixturevalue(person) if person else None

    response = login(user).get(f"/api/v1/fhir/ServiceRequest/{referral.public_id}/")

    if person in FHIR_ALLOWED - {"mental_clinician"}:
        assert response.status_code == 200
    elif person == "mental_clinician":
        assert response.status_code == 404  # another queue's referral: as if it did not exist
    else:
        assert response.status_code in (401, 403)


@pytest.mark.parametrize("person", [None, *PEOPLE])
def test_the_joint_data_set_answers_managers_administrators_and_team_leads(login, request, referral, person):
    user = request.getfixturevalue(person) if person else None

    response = login(user).get("/api/v1/joint-data-set/")

    if person in JOINT_ALLOWED:
        assert response.status_code == 200
    else:
        assert response.status_code in (401, 403)
