"""The queue page and its 15-second refresh cost the same whether 2 or 120 referrals wait: one page of
50 is read and drawn, the rest only counted (issue 15: a bad winter day has thousands waiting)."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import factories
from triage.views import QUEUE_PAGE_SIZE

FEW, MANY = 2, 120


def _rows(html: str) -> int:
    return len(re.findall(r"<tr [^>]*data-reference=", html))


def _asked(client, url: str) -> tuple[int, int, list[str]]:
    """Queries, rows drawn, and the SQL of the request."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries), _rows(response.content.decode()), [q["sql"] for q in captured.captured_queries]


@pytest.mark.parametrize("view", ["triage:queue_detail", "triage:queue_items_fragment"])
def test_the_queue_reads_and_draws_one_page_however_many_wait(client, clinician, falls, call_handler, physical_queue, view):
    client.force_login(clinician)
    url = reverse(view, args=[physical_queue.code])
    for _ in range(FEW):
        factories.referral(need=falls, actor=call_handler)
    client.get(url)
    few_queries, few_rows, _ = _asked(client, url)
    for _ in range(MANY - FEW):
        factories.referral(need=falls, actor=call_handler)

    many_queries, many_rows, sql = _asked(client, url)

    assert (few_rows, many_rows) == (FEW, QUEUE_PAGE_SIZE)
    assert many_queries == few_queries
    # The page's items are read with a LIMIT of one page (the rest is only counted).
    assert any(f"LIMIT {QUEUE_PAGE_SIZE}" in statement for statement in sql)
