"""The ORUK API is for staff who use the directory; anonymous callers and referrers are refused."""

import pytest

from ccc.models import User
from tests import factories

READERS = [User.Role.CALL_HANDLER, User.Role.DUTY_CLINICIAN, User.Role.TEAM_LEAD, User.Role.TOC, User.Role.MANAGER,
           User.Role.DIRECTORY_EDITOR, User.Role.ADMINISTRATOR]
REFUSED = [User.Role.REFERRER, ""]


@pytest.fixture
def paths(db):
    service = factories.directory_service(name="Befriending")
    return ["/api/v1/oruk/services", f"/api/v1/oruk/services/{service.pk}", "/api/v1/oruk/taxonomy_terms"]


@pytest.mark.parametrize("index", range(3))
def test_anonymous_refused(api, paths, index):
    response = api.get(paths[index])

    assert response.status_code == 403
    assert response.data["detail"].code == "not_authenticated"


@pytest.mark.parametrize("index", range(3))
@pytest.mark.parametrize("role", REFUSED)
def test_roles_without_the_directory_refused(login, paths, index, role):
    response = login(factories.user(role)).get(paths[index])

    assert response.status_code == 403
    assert response.data["detail"].code == "permission_denied"


@pytest.mark.parametrize("index", range(3))
@pytest.mark.parametrize("role", READERS)
def test_staff_who_use_the_directory_read_it(login, paths, index, role):
    assert login(factories.user(role)).get(paths[index]).status_code == 200


def test_the_oruk_api_is_read_only(login, paths):
    client = login(factories.user(User.Role.DIRECTORY_EDITOR))

    for path in paths:
        assert client.post(path, {}, format="json").status_code == 405
        assert client.delete(path).status_code == 405
