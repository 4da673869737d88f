"""System escalation (OPEL): triggers on live figures raise and lower each partner's level, a rise
tells its named leads once, a level set by hand is a floor with a reason, and the page, history
and the day's summary say why and since when."""

import csv
import io
from datetime import date, datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from ccc.audit import save_as
from ccc.models import User
from escalations.models import Notification
from opel.models import ActionCard, LevelChange, Partner, Trigger
from opel.selectors import day_summary
from opel.services import levels_evaluate, partner_level_set
from tests import factories
from tests.concurrency import at_once


@pytest.fixture
def lead(db):
    return factories.user(User.Role.MANAGER, username="oncall")


@pytest.fixture
def acute(lead):
    """An acute trust at OPEL 2 from 2 medically fit patients in hospital, OPEL 3 from 3."""
    partner = Partner.objects.create(name="Northfield acute", kind=Partner.Kind.ACUTE)
    partner.leads.set([lead])
    for threshold, level in ((2, 2), (3, 3)):
        Trigger.objects.create(partner=partner, measure="mffd_in_hospital", threshold=threshold, level=level)
    ActionCard.objects.create(partner=partner, level=3, actions="System call at 11:00\nOpen the discharge lounge")
    return partner


def mffd(toc_nurse, ward, count: int) -> list:
    return [factories.register_entry(actor=toc_nurse, ward_=ward, fit_on=timezone.localdate()) for _ in range(count)]


def test_a_trigger_crossing_its_threshold_raises_the_level_and_tells_the_leads_once(acute, lead, toc_nurse, ward):
    mffd(toc_nurse, ward, 1)
    assert levels_evaluate() == []

    mffd(toc_nurse, ward, 2)
    [change] = levels_evaluate()
    levels_evaluate()  # the next sweep: still 3, nothing new

    acute.refresh_from_db()
    assert (acute.level, change.previous_level, change.changed_by) == (3, 1, None)
    assert "Medically fit patients still in hospital: 3" in acute.level_reason
    [told] = Notification.objects.filter(recipient=lead)
    assert "Northfield acute is now at OPEL 3" in told.message and told.url == reverse("opel:system")


def test_a_fall_lowers_the_level_without_telling_anyone(acute, lead, toc_nurse, ward):
    entries = mffd(toc_nurse, ward, 3)
    levels_evaluate()
    from discharge import services as discharge_services

    discharge_services.entry_discharge(
        entry=entries[0], actor=toc_nurse, discharged_on=timezone.localdate(), destination="Home",
        pathway_used=0, readmission_risk="low",
    )
    [change] = levels_evaluate()

    assert (change.previous_level, change.level) == (3, 2)
    assert Notification.objects.filter(recipient=lead).count() == 1  # the rise only


def test_a_level_set_by_hand_is_a_floor_with_a_reason_and_is_recorded(acute, lead, toc_nurse, ward):
    manager = factories.user(User.Role.MANAGER)

    partner_level_set(partner=acute, level=4, reason="Norovirus: two wards closed", actor=manager)
    mffd(toc_nurse, ward, 3)
    levels_evaluate()  # the triggers say 3; the hand says 4

    acute.refresh_from_db()
    assert (acute.level, acute.level_reason) == (4, "Set by hand: Norovirus: two wards closed")
    [change] = LevelChange.objects.all()
    assert (change.level, change.changed_by) == (4, manager)
    assert acute.history.filter(history_user=manager, manual_level=4).exists()

    partner_level_set(partner=acute, level=1, reason="Wards open again", actor=manager)
    acute.refresh_from_db()
    assert acute.level == 3  # back to what the triggers say


@pytest.mark.parametrize(("level", "reason", "field"), [(5, "Why not", "level"), (2, "  ", "reason")])
def test_setting_a_level_by_hand_refuses_a_bad_level_or_no_reason(acute, level, reason, field):
    with pytest.raises(ValidationError) as refused:
        partner_level_set(partner=acute, level=level, reason=reason, actor=factories.user(User.Role.MANAGER))
    assert field in refused.value.message_dict
    assert not LevelChange.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_record_one_change_and_one_notification(lead, toc_nurse, ward):
    partner = Partner.objects.create(name="Northfield acute", kind=Partner.Kind.ACUTE)
    partner.leads.set([lead])
    Trigger.objects.create(partner=partner, measure="mffd_in_hospital", threshold=1, level=2)
    mffd(toc_nurse, ward, 1)

    at_once(levels_evaluate, levels_evaluate)

    assert LevelChange.objects.count() == 1
    assert Notification.objects.filter(recipient=lead).count() == 1


def test_the_day_summary_gives_each_partner_s_start_highest_and_end(acute):
    zone = timezone.get_current_timezone()
    manager = factories.user(User.Role.MANAGER)

    def change(day_hour: datetime, previous: int, level: int):
        save_as(LevelChange(partner=acute, previous_level=previous, level=level, changed_at=day_hour,
                            reason=f"to {level}", changed_by=manager), manager)

    change(datetime(2026, 11, 2, 22, tzinfo=zone), 1, 2)
    change(datetime(2026, 11, 3, 9, tzinfo=zone), 2, 4)
    change(datetime(2026, 11, 3, 17, tzinfo=zone), 4, 3)
    change(datetime(2026, 11, 5, 9, tzinfo=zone), 3, 1)

    [third] = day_summary(day=date(2026, 11, 3), fetched_by=manager)
    [first] = day_summary(day=date(2026, 11, 1), fetched_by=manager)
    [fourth] = day_summary(day=date(2026, 11, 4), fetched_by=manager)

    assert (third.level_at_start, third.highest, third.level_at_end, third.changes, third.last_reason) == (
        2, 4, 3, 2, "to 3")
    assert (first.level_at_start, first.highest, first.level_at_end, first.changes) == (1, 1, 1, 0)
    assert (fourth.level_at_start, fourth.level_at_end, fourth.changes) == (3, 3, 0)


class TestPage:
    def test_the_page_shows_each_level_why_since_when_and_the_action_card(self, client, acute, toc_nurse, ward,
                                                                          django_assert_max_num_queries):
        mffd(toc_nurse, ward, 3)
        levels_evaluate()
        client.force_login(factories.user(User.Role.CALL_HANDLER))

        with django_assert_max_num_queries(14):
            page = client.get(reverse("opel:system")).content.decode()

        assert "OPEL 3: severe pressure" in page and "Medically fit patients still in hospital: 3" in page
        assert "Open the discharge lounge" in page
        assert "Set a level by hand" not in page  # a call handler sees, does not set

    def test_a_manager_sets_a_level_on_the_page(self, client, acute):
        manager = factories.user(User.Role.MANAGER)
        client.force_login(manager)

        response = client.post(reverse("opel:partner_level", args=[acute.pk]), {"level": 2, "reason": "Staff sickness"})

        assert response.status_code == 302
        acute.refresh_from_db()
        assert (acute.level, acute.manual_reason) == (2, "Staff sickness")

    def test_a_level_without_a_reason_is_refused_with_the_typed_level_kept(self, client, acute):
        client.force_login(factories.user(User.Role.MANAGER))

        response = client.post(reverse("opel:partner_level", args=[acute.pk]), {"level": 3, "reason": ""})

        assert response.status_code == 400
        assert "There is a problem" in response.content.decode()
        acute.refresh_from_db()
        assert acute.level == 1

    def test_a_call_handler_cannot_set_a_level(self, client, acute):
        client.force_login(factories.user(User.Role.CALL_HANDLER))

        response = client.post(reverse("opel:partner_level", args=[acute.pk]), {"level": 4, "reason": "Because"})

        assert response.status_code == 403
        acute.refresh_from_db()
        assert acute.level == 1

    def test_the_day_summary_downloads_as_csv(self, client, acute):
        manager = factories.user(User.Role.MANAGER)
        partner_level_set(partner=acute, level=3, reason="=HYPERLINK(\"http://evil.example\")", actor=manager)
        client.force_login(manager)

        response = client.get(reverse("opel:day_summary_csv"), {"day": timezone.localdate().isoformat()})

        rows = list(csv.reader(io.StringIO(response.getvalue().decode())))
        assert rows[0][:3] == ["Day", "Partner", "Kind"]
        assert rows[1][1:7] == ["Northfield acute", "Acute trust", "1", "3", "3", "1"]
        assert not rows[1][7].startswith("=")  # a typed reason never reaches a spreadsheet as a formula

    def test_a_bad_day_is_refused_clearly(self, client, acute):
        client.force_login(factories.user(User.Role.MANAGER))

        response = client.get(reverse("opel:day_summary_csv"), {"day": "yesterday"})

        assert response.status_code == 400 and b"YYYY-MM-DD" in response.content


def test_the_beat_sweep_runs_the_evaluation(settings, acute, toc_nurse, ward):
    from opel.tasks import evaluate_levels

    mffd(toc_nurse, ward, 2)

    assert settings.CELERY_BEAT_SCHEDULE["opel-evaluate-levels"]["task"] == evaluate_levels.name
    assert evaluate_levels() == 1
    acute.refresh_from_db()
    assert acute.level == 2
