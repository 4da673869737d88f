"""The commands behind docs/PERFORMANCE.md, on a few hundred rows: generate_referrals, the referrals part of
generate_place (tests/reporting/test_generate_place.py), and the dashboard benchmark."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from ccc.reporting import Period, PeriodKind, Scope
from referrals.models import Referral
from referrals.selectors import referrals_per_day
from tests import factories
from triage.models import Priority, QueueItem, TriageDecision
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


def test_generated_referrals_keep_the_rules_the_services_enforce(configured, physical_queue):
    for priority in Priority.values:  # the generator gives every urgency
        factories.response_target(queue=physical_queue, priority=priority, minutes=120)

    call_command("generate_referrals", count=120, days=10, stdout=StringIO())

    decisions = list(TriageDecision.objects.select_related("queue_item__queue", "transfer_to"))
    assert {decision.outcome for decision in decisions} >= {"accept", "refer_on", "signpost", "no_further_action"}
    for decision in decisions:
        decision.full_clean()  # a refer-on names its service, a signpost names one, nothing else does
        assert (decision.respond_by is not None) == (decision.outcome == "accept")
    for referral in Referral.objects.select_related("patient")[:30]:
        referral.patient.full_clean()
        referral.full_clean(exclude=["idempotency_key"])


def test_generate_referrals_names_a_required_field_it_does_not_fill(configured, monkeypatch):
    from django.db import models

    field = models.CharField(name="new_required_thing", max_length=10)
    field.set_attributes_from_name("new_required_thing")
    field.model = Referral
    monkeypatch.setattr(Referral._meta, "concrete_fields", (*Referral._meta.concrete_fields, field))

    with pytest.raises(CommandError, match="Referral.new_required_thing"):
        call_command("generate_referrals", count=5, days=1, stdout=StringIO())
    assert Referral.objects.count() == 0  # nothing half-written


def test_generated_referrals_are_routed_by_intake_s_own_rules_out_of_hours_too(configured, physical_queue):
    """The generator asks triage's route_for, so a night referral goes to the out-of-hours queue
    exactly when intake would send it there, and each is due by its own queue's target."""
    from triage.services import route_for

    for day in range(7):
        factories.out_of_hours_period(day, "20:00", "08:00")
    night = factories.duty_queue(code="out-of-hours", name="Out-of-hours duty queue", is_out_of_hours_queue=True,
                                 triage_target_minutes=30)

    call_command("generate_referrals", count=200, days=10, stdout=StringIO())

    items = list(QueueItem.objects.select_related("queue", "referral__need"))
    assert {item.queue for item in items} == {physical_queue, night}
    for item in items:
        assert item.queue == route_for(item.referral.need, at=item.routed_at)[0]
        assert item.due_at == item.routed_at + item.queue.triage_target
