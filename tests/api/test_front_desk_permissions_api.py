"""The tracking endpoints answer only referrers, and each referrer only for their own practice's referrals."""

import pytest

ENDPOINTS = {
    "tracked referral list": "/api/v1/tracked-referrals/",
    "tracked referral detail": "/api/v1/tracked-referrals/{referral}/",
}
WRONG_ROLES = ["call_handler", "clinician", "toc_member", "manager", "administrator"]


@pytest.fixture
def path_for(practice_referral):
    return lambda name: ENDPOINTS[name].format(referral=practice_referral.public_id)


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(ENDPOINTS))
def test_anonymous_refused(api, path_for, name):
    response = api.get(path_for(name))

    assert response.status_code == 403
    assert response.data["detail"].code == "not_authenticated"


@pytest.mark.django_db
@pytest.mark.parametrize("role", WRONG_ROLES)
@pytest.mark.parametrize("name", sorted(ENDPOINTS))
def test_staff_who_are_not_referrers_are_refused(request, login, path_for, name, role):
    response = login(request.getfixturevalue(role)).get(path_for(name))

    assert response.status_code == 403
    assert response.data["detail"].code == "permission_denied"


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(ENDPOINTS))
def test_the_referring_practices_referrer_is_answered(login, referrer, path_for, name):
    assert login(referrer).get(path_for(name)).status_code == 200


@pytest.mark.django_db
def test_a_referrer_of_another_practice_finds_nothing(login, other_referrer, path_for):
    client = login(other_referrer)

    assert client.get(path_for("tracked referral detail")).status_code == 404
    assert client.get(path_for("tracked referral list")).data["count"] == 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["/api/v1/referrals/", "/api/v1/referrals/{referral}/", "/api/v1/patients/?nhs_number=9990000018"]
)
def test_referrers_cannot_reach_the_full_referral_or_patient_records(login, referrer, practice_referral, path):
    response = login(referrer).get(path.format(referral=practice_referral.public_id))

    assert response.status_code == 403
