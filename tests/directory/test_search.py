"""The directory search: each filter, their combination, and hostile input."""

from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest

from ccc.models import User
from directory import selectors, services
from directory.selectors import SearchFilters
from tests import factories

LONDON = ZoneInfo("Europe/London")


def names(actor, at=None, **filters) -> list[str]:
    return [s.name for s in selectors.service_search(fetched_by=actor, filters=SearchFilters(**filters), at=at)]


def test_free_text_finds_words_in_any_form_and_ranks_the_name_match_first(call_handler):
    factories.directory_service(name="Telephone befriending", description="A weekly call from a volunteer")
    factories.directory_service(name="Lunch club", description="Hot meals, and befriends lonely people")
    factories.directory_service(name="Foodbank", description="Emergency food parcels")

    found = names(call_handler, text="befriending")

    assert set(found) == {"Telephone befriending", "Lunch club"}
    assert names(call_handler, text="food parcel") == ["Foodbank"]


def test_free_text_matches_the_organisation_and_the_categories(call_handler):
    carers = factories.directory_term(name="Carers' support")
    factories.directory_service(name="Sitting service", terms=[carers])
    factories.directory_service(name="Advice line", organization=factories.directory_organization(name="Citizens Advice"))

    assert names(call_handler, text="carers") == ["Sitting service"]
    assert names(call_handler, text="citizens") == ["Advice line"]


def test_a_category_finds_its_services_and_those_of_its_narrower_terms(call_handler):
    mental = factories.directory_term(name="Mental health")
    crisis = factories.directory_term(name="Mental health crisis", parent=mental)
    factories.directory_service(name="Crisis cafe", terms=[crisis])
    factories.directory_service(name="Talking therapies", terms=[mental])
    factories.directory_service(name="Foodbank")

    assert names(call_handler, term=mental) == ["Crisis cafe", "Talking therapies"]
    assert names(call_handler, term=crisis) == ["Crisis cafe"]


@pytest.mark.parametrize(
    "area, expected",
    [
        ("NF6 2AB", ["Covers NF6"]),  # a full postcode: its district
        ("nf6  2ab", ["Covers NF6"]),  # as typed on the phone
        ("NF6", ["Covers NF6"]),  # a district alone
        ("NF16 1AA", ["Covers NF1 and NF16", "Covers NF16"]),  # NF16 is not NF1 or NF6
        ("NF1", ["Covers NF1 and NF16"]),
        ("Eastbrook", ["Covers NF6"]),  # a place name: the area's name
        ("ZZ9 9ZZ", []),
    ],
)
def test_area_matches_the_postcode_district_or_the_locality(call_handler, area, expected):
    factories.directory_service(name="Covers NF6", districts="NF6", area_name="Eastbrook")
    factories.directory_service(name="Covers NF16", districts="NF16", area_name="Upper Northfield")
    factories.directory_service(name="Covers NF1 and NF16", districts="NF1, nf16", area_name="Northfield town")

    found = names(call_handler, area=area)

    assert sorted(found) == sorted(expected)


def test_age_keeps_only_services_whose_range_includes_it(call_handler):
    factories.directory_service(name="Older people", minimum_age=60)
    factories.directory_service(name="Young carers", minimum_age=8, maximum_age=17)
    factories.directory_service(name="Anyone")

    assert names(call_handler, age=82) == ["Anyone", "Older people"]
    assert names(call_handler, age=12) == ["Anyone", "Young carers"]
    assert names(call_handler, age=60) == ["Anyone", "Older people"]


def test_criteria_match_who_the_service_is_for(call_handler):
    factories.directory_service(name="Memory cafe", eligibility="People living with dementia and their carers")
    factories.directory_service(name="Walking group", eligibility="Adults of any fitness")

    assert names(call_handler, criteria="dementia") == ["Memory cafe"]
    assert names(call_handler, criteria="Dementia carers") == ["Memory cafe"]


def test_self_referral_filter(call_handler):
    factories.directory_service(name="Drop in", self_referral=True)
    factories.directory_service(name="GP referral only", self_referral=False)

    assert names(call_handler, self_referral=True) == ["Drop in"]


def test_retired_and_paused_services_are_not_found(call_handler):
    retired = factories.directory_service(name="Closed day centre")
    factories.directory_service(name="Paused service", status="temporarily closed")
    factories.directory_service(name="Open service")
    services.service_retire(service=retired, actor=call_handler)

    assert names(call_handler) == ["Open service"]


class TestOpenNow:
    @pytest.fixture
    def services_(self, db):
        factories.directory_service(name="Weekday office", days=["MO", "TU", "WE", "TH", "FR"], opens_at=time(9), closes_at=time(17))
        factories.directory_service(name="Crisis cafe", days=["FR", "SA"], opens_at=time(18), closes_at=time(2))
        factories.directory_service(name="Phone line", days=[], opens_at=time(0), closes_at=time(0))

    @pytest.mark.parametrize(
        "local, expected",
        [
            (datetime(2026, 3, 27, 9, 0), ["Phone line", "Weekday office"]),  # Friday 09:00: opening time counts
            (datetime(2026, 3, 27, 17, 0), ["Phone line"]),  # closing time does not
            (datetime(2026, 3, 27, 23, 30), ["Crisis cafe", "Phone line"]),  # Friday night
            (datetime(2026, 3, 28, 1, 30), ["Crisis cafe", "Phone line"]),  # small hours: Friday's session
            (datetime(2026, 3, 30, 1, 30), ["Phone line"]),  # Monday small hours: Sunday has no session
            (datetime(2026, 3, 28, 12, 0), ["Phone line"]),  # Saturday noon
        ],
    )
    def test_open_now_reads_schedules_in_uk_local_time(self, call_handler, services_, local, expected):
        at = local.replace(tzinfo=LONDON)

        assert names(call_handler, open_now=True, at=at) == expected
        assert {s.name for s in selectors.service_details(selectors.service_search(
            fetched_by=call_handler, filters=SearchFilters())) if selectors.is_open(s, at)} == set(expected)

    def test_open_now_follows_the_clock_change(self, call_handler, services_):
        # 08:30 UTC is 09:30 BST on Monday 30 March 2026 (open) but 08:30 GMT on Monday 23 March (not yet).
        from datetime import UTC

        assert "Weekday office" in names(call_handler, open_now=True, at=datetime(2026, 3, 30, 8, 30, tzinfo=UTC))
        assert "Weekday office" not in names(call_handler, open_now=True, at=datetime(2026, 3, 23, 8, 30, tzinfo=UTC))


def test_filters_combine(call_handler):
    befriending = factories.directory_term(name="Befriending")
    factories.directory_service(name="Right one", terms=[befriending], districts="NF2", minimum_age=60, self_referral=True)
    factories.directory_service(name="Wrong area", terms=[befriending], districts="NF9", minimum_age=60, self_referral=True)
    factories.directory_service(name="Too young", terms=[befriending], districts="NF2", maximum_age=25, self_referral=True)
    factories.directory_service(name="No self-referral", terms=[befriending], districts="NF2", self_referral=False)

    assert names(call_handler, term=befriending, area="NF2 7DQ", age=87, self_referral=True) == ["Right one"]


@pytest.mark.parametrize(
    "text",
    [
        "'; DROP TABLE directory_service; --",
        "befriending' OR '1'='1",
        "\" & | ! ( ) : * <-> \\",
        "%_%",
        "befriending " * 5000,
        "\x00",
    ],
)
def test_hostile_or_huge_input_is_just_words(call_handler, text):
    factories.directory_service(name="Telephone befriending")

    found = names(call_handler, text=text, area=text, criteria=text)

    assert isinstance(found, list)
    assert names(call_handler) == ["Telephone befriending"]  # and the table is still there


def test_nobody_without_the_directory_finds_anything(db):
    factories.directory_service(name="Telephone befriending")

    assert names(factories.user(User.Role.REFERRER)) == []


@pytest.mark.parametrize(
    "days, opens, closes, shown",
    [
        (["MO", "TU", "WE", "TH", "FR"], time(9), time(17), "Monday to Friday 09:00 to 17:00"),
        (["TU", "TH"], time(11, 30), time(14, 30), "Tuesday, Thursday 11:30 to 14:30"),
        ([], time(0), time(0), "Every day, 24 hours"),
        (["FR", "SA"], time(18), time(2), "Friday, Saturday 18:00 to 02:00"),
    ],
)
def test_opening_times_read_as_a_person_would_say_them(db, days, opens, closes, shown):
    service = factories.directory_service(days=days, opens_at=opens, closes_at=closes)

    assert service.schedules.get().display == shown
