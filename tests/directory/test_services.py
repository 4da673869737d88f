"""Directory writes: editing with history, retiring, signposting, stale reviews, managers' figures."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from ccc.exceptions import Conflict
from ccc.models import User
from directory import selectors, services
from directory.models import Service, Signposting
from tests import factories
from tests.concurrency import at_once


def test_every_change_to_a_service_is_in_its_history_with_who_made_it(directory_editor):
    service = factories.directory_service(name="Befriending", actor=directory_editor)
    other_editor = factories.user(User.Role.DIRECTORY_EDITOR)

    services.service_update(
        service=service, actor=other_editor, name="Telephone befriending", organization=service.organization,
        area=services.Area("Northfield", "NF1 NF3"),
    )
    services.service_retire(service=service, actor=directory_editor)

    history = list(Service.history.filter(id=service.pk).order_by("history_date"))
    assert [(h.name, h.status, h.history_user) for h in history] == [
        ("Befriending", "active", directory_editor),
        ("Telephone befriending", "active", other_editor),
        ("Telephone befriending", "defunct", directory_editor),
    ]
    area = service.service_areas.get()
    assert area.extent == "NF1 NF3"
    assert area.history.latest().history_user == other_editor


def test_the_search_text_follows_edits_to_the_service_and_its_organisation(directory_editor, call_handler):
    service = factories.directory_service(name="Sitting service")
    services.organization_update(organization=service.organization, actor=directory_editor, name="Carers Trust")

    found = selectors.service_search(fetched_by=call_handler, filters=selectors.SearchFilters(text="carers trust"))

    assert list(found) == [service]


def test_an_edit_made_from_a_stale_page_loses(directory_editor):
    service = factories.directory_service(name="Befriending")
    seen = service.last_modified
    services.service_update(service=service, actor=directory_editor, name="First edit", organization=service.organization)

    with pytest.raises(Conflict, match="changed by someone else"):
        services.service_update(
            service=service, actor=directory_editor, seen_last_modified=seen, name="Second edit",
            organization=service.organization,
        )
    service.refresh_from_db()
    assert service.name == "First edit"


@pytest.mark.django_db(transaction=True)
def test_a_double_submitted_new_service_is_made_once(directory_editor):
    organization = factories.directory_organization()
    new_id = "0b4fb1a2-5a77-4c37-9f57-3c3a1c6e9d10"

    results = at_once(
        lambda: services.service_create(actor=directory_editor, new_id=new_id, organization=organization, name="Once"),
        lambda: services.service_create(actor=directory_editor, new_id=new_id, organization=organization, name="Once"),
    )

    assert Service.objects.filter(name="Once").count() == 1
    assert {str(r.pk) for r in results} == {new_id}


def test_an_age_range_upside_down_is_refused(directory_editor):
    with pytest.raises(ValidationError, match="maximum age"):
        factories.directory_service(minimum_age=65, maximum_age=18)


def test_a_retired_service_stays_on_the_signpostings_that_name_it(call_handler, referral):
    service = factories.directory_service(name="Day centre")
    signposting = services.signposting_record(
        service=service, need="Company", unmet_need=False, note="", actor=call_handler, referral=referral
    )
    services.service_retire(service=service, actor=call_handler)

    signposting.refresh_from_db()
    assert signposting.service.name == "Day centre"
    assert selectors.service_get(service_id=service.pk, fetched_by=call_handler).is_retired
    with pytest.raises(Conflict, match="already retired"):
        services.service_retire(service=service, actor=call_handler)


def test_an_organisation_with_services_in_use_cannot_be_retired(directory_editor):
    service = factories.directory_service()

    with pytest.raises(ValidationError, match="Retire this organisation's services first"):
        services.organization_retire(organization=service.organization, actor=directory_editor)

    services.service_retire(service=service, actor=directory_editor)
    assert services.organization_retire(organization=service.organization, actor=directory_editor).retired_at


class TestSignposting:
    def test_signposting_to_a_service_against_a_referral(self, call_handler, referral):
        service = factories.directory_service(name="Befriending")

        signposting = services.signposting_record(
            service=service, need="Loneliness", unmet_need=False, note="Gave the number", actor=call_handler,
            referral=referral,
        )

        assert list(referral.signpostings.all()) == [signposting]
        assert signposting.signposted_by == call_handler
        assert signposting.history.get().history_user == call_handler

    def test_an_unmet_need_has_no_service(self, call_handler, referral):
        signposting = services.signposting_record(
            service=None, need="Overnight sitting", unmet_need=True, note="", actor=call_handler, referral=referral
        )

        assert signposting.unmet_need and signposting.service is None
        assert str(signposting) == "Unmet need: Overnight sitting"

    @pytest.mark.parametrize(
        "kwargs, message",
        [
            ({"service": None, "unmet_need": False}, "Choose a service"),
            ({"unmet_need": True}, "not both"),
            ({"need": "  "}, "Enter the need"),
        ],
    )
    def test_a_signposting_must_be_one_thing_or_the_other(self, call_handler, kwargs, message):
        values = {"service": factories.directory_service(), "need": "Company", "unmet_need": False}

        with pytest.raises(ValidationError, match=message):
            services.signposting_record(**{**values, **kwargs}, note="", actor=call_handler)
        assert not Signposting.objects.exists()

    def test_a_retired_service_cannot_be_signposted_to(self, call_handler):
        service = factories.directory_service(name="Day centre")
        services.service_retire(service=service, actor=call_handler)

        with pytest.raises(ValidationError, match="retired: choose another"):
            services.signposting_record(service=service, need="Company", unmet_need=False, note="", actor=call_handler)

    @pytest.mark.django_db(transaction=True)
    def test_a_repeated_click_records_one_signposting(self, call_handler, referral):
        service = factories.directory_service()

        first, second = at_once(
            *[
                lambda: services.signposting_record(
                    service=service, need="Company", unmet_need=False, note="", actor=call_handler, referral=referral,
                    idempotency_key="click-1",
                )
            ]
            * 2
        )

        assert first == second
        assert Signposting.objects.count() == 1


def test_managers_figures_count_signpostings_per_service_and_unmet_needs_per_need(call_handler, manager):
    befriending, foodbank = factories.directory_service(name="Befriending"), factories.directory_service(name="Foodbank")
    start = datetime(2026, 3, 1, tzinfo=ZoneInfo("Europe/London"))
    inside, outside = start + timedelta(days=3), start - timedelta(minutes=1)
    for service, at in [(befriending, inside), (befriending, inside), (foodbank, inside), (foodbank, outside)]:
        services.signposting_record(service=service, need="x", unmet_need=False, note="", actor=call_handler, at=at)
    for need in ["Overnight sitting", "Overnight sitting", "Pet care"]:
        services.signposting_record(service=None, need=need, unmet_need=True, note="", actor=call_handler, at=inside)

    figures = selectors.signposting_figures(fetched_by=manager, start=start, end=start + timedelta(days=31))

    assert [(row["service__name"], row["count"]) for row in figures.by_service] == [("Befriending", 2), ("Foodbank", 1)]
    assert [(row["need"], row["count"]) for row in figures.unmet_by_need] == [("Overnight sitting", 2), ("Pet care", 1)]


def test_services_not_reviewed_in_twelve_months(call_handler):
    today = date(2026, 11, 23)
    factories.directory_service(name="Reviewed last month", assured_date=date(2026, 10, 23))
    factories.directory_service(name="Reviewed a year ago today", assured_date=date(2025, 11, 23))
    factories.directory_service(name="Reviewed a year and a day ago", assured_date=date(2025, 11, 22))
    factories.directory_service(name="Never reviewed")
    retired = factories.directory_service(name="Retired and stale", assured_date=date(2020, 1, 1))
    services.service_retire(service=retired, actor=call_handler)

    stale = [s.name for s in selectors.services_not_reviewed(fetched_by=call_handler, today=today)]

    assert stale == ["Never reviewed", "Reviewed a year and a day ago"]


def test_a_year_before_29_february_is_28_february():
    assert selectors._months_before(date(2028, 2, 29), 12) == date(2027, 2, 28)


def test_the_demo_directory_is_searchable(db, settings, call_handler):
    from io import StringIO

    from django.core.management import call_command

    settings.DEBUG = True
    call_command("demo_data", password="demo-password-for-tests-42", stdout=StringIO())

    found = selectors.service_search(
        fetched_by=call_handler, filters=selectors.SearchFilters(text="befriending", area="NF2 7DQ", age=92)
    )
    assert "Telephone befriending" in [s.name for s in found]
    monday_ten = timezone.make_aware(datetime.combine(date(2026, 11, 23), time(10)))
    assert selectors.open_schedules(monday_ten).exists()


def test_clearing_the_opening_times_removes_the_schedule_and_keeps_its_history(directory_editor):
    service = factories.directory_service(name="Lunch club")
    schedule_id = service.schedules.get().pk

    services.service_update(
        service=service, actor=directory_editor, organization=service.organization, name="Lunch club",
        opening_times=services.OpeningTimes([], None, None),
    )

    assert not service.schedules.exists()
    removed = service.schedules.model.history.filter(id=schedule_id).latest()
    assert (removed.history_type, removed.history_user) == ("-", directory_editor)
