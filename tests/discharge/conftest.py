"""The API client fixtures, shared with tests/api (not copied): parity tests act through both doors."""

from tests.api.conftest import api, login  # noqa: F401
