"""The directory's Open Referral UK API is read-only (who may read it: tests/permission_matrix.py)."""

import pytest

from ccc.models import User
from tests import factories


@pytest.mark.django_db
def test_the_oruk_api_is_read_only(login):
    service = factories.directory_service(name="Befriending")
    client = login(factories.user(User.Role.DIRECTORY_EDITOR))

    for path in ["/api/v1/oruk/services", f"/api/v1/oruk/services/{service.pk}", "/api/v1/oruk/taxonomy_terms"]:
        assert client.post(path, {}, format="json").status_code == 405
        assert client.delete(path).status_code == 405
