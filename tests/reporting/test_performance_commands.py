"""The commands behind docs/PERFORMANCE.md, on a few hundred rows (the million is made by hand)."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from ccc.reporting import Period, PeriodKind, Scope
from referrals.models import Referral
from referrals.selectors import referrals_per_day
from triage.models import QueueItem, TriageDecision
from triage.services import notify_pending_queue_items


@pytest.fixture
def configured(settings, falls, call_handler, clinician, manager):
    settings.DEBUG = True


def test_generate_referrals_makes_routed_and_triaged_referrals_the_figures_count(configured):
    out = StringIO()

    call_command("generate_referrals", count=300, days=10, stdout=out)

    assert "300 / 300 referrals" in out.getvalue()
    assert Referral.objects.count() == QueueItem.objects.count() == 300
    triaged = QueueItem.objects.filter(status=QueueItem.Status.TRIAGED).count()
    assert 0 < triaged == TriageDecision.objects.count()
    assert all(
        item.referral.received_at <= timezone.now() for item in QueueItem.objects.select_related("referral")[:20]
    )
    last_ten_days = Period.around(
        PeriodKind.CUSTOM, timezone.localdate() - timezone.timedelta(days=10), timezone.localdate()
    )
    assert sum(row["referrals"] for row in referrals_per_day(last_ten_days, Scope(None))) == 300
    assert notify_pending_queue_items() == 0  # already notified: the sweep leaves them alone


def test_generate_referrals_needs_the_demo_configuration(db, settings):
    settings.DEBUG = True

    with pytest.raises(CommandError, match="demo_data"):
        call_command("generate_referrals", count=10, stdout=StringIO())


def test_the_benchmark_prints_p50_and_p95_for_the_page_and_each_figure(configured):
    call_command("generate_referrals", count=50, days=5, stdout=StringIO())
    out = StringIO()

    call_command("benchmark_dashboard", runs=2, period="week", explain=True, stdout=out)

    report = out.getvalue()
    assert "Whole page" in report and "p95" in report
    assert "Time to triage against target" in report
    assert "Execution Time" in report  # the EXPLAIN ANALYZE of the slowest query
