"""The dashboard stays small however large the place: a per-service figure shows its 15
largest rows and one "Others" row; the CSV download keeps them all."""

from datetime import UTC, datetime

from django.urls import reverse

from directory.models import Signposting
from tests import factories

WEEK = {"period": "week", "date": "2025-06-04"}


def test_signposting_shows_the_top_15_services_then_the_others_summed(client, manager, call_handler):
    for n in range(20):
        service = factories.directory_service(name=f"Service {n:02}")
        for _ in range(n + 1):  # Service 19 is used most: 20 times
            Signposting.objects.create(service=service, need="Loneliness", signposted_by=call_handler,
                                       signposted_at=datetime(2025, 6, 3, 9, tzinfo=UTC))
    client.force_login(manager)

    page = client.get(reverse("reporting:dashboard"), WEEK)

    [shown] = [shown for shown in page.context["figures"] if shown.figure.slug == "signposting-by-service"]
    assert [row["service"] for row in shown.rows[:2]] == ["Service 19", "Service 18"]
    assert len(shown.rows) == 16
    # The five least used (1 + 2 + 3 + 4 + 5 times) in one row.
    assert shown.rows[-1] == {"service": "Others (5 more)", "signposted": 15}
    download = client.get(reverse("reporting:figure_csv", args=["signposting-by-service"]), WEEK)
    assert len(b"".join(download.streaming_content if download.streaming else [download.content])
               .decode().strip().splitlines()) == 1 + 20

