"""Open Referral UK: import (the profile's own examples, refusals), export round trip, and the
API's JSON checked against the profile's schemas (vendored in directory/oruk/)."""

import copy
import json
from datetime import time
from io import StringIO

import jsonschema
import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from ccc.models import User
from directory import services
from directory.models import (
    Attribute,
    Contact,
    Location,
    Organization,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)
from directory.oruk import EXAMPLES_DIR, schema
from directory.oruk_import import import_services, records_of
from tests import factories

DIRECTORY_MODELS = [Attribute, ServiceAtLocation, Contact, Schedule, ServiceArea, Service, Location, Organization,
                    TaxonomyTerm, Taxonomy]


def example(name: str):
    return json.loads((EXAMPLES_DIR / f"{name}.json").read_text())


def validate(instance, schema_name: str) -> None:
    validator = jsonschema.Draft202012Validator(schema(schema_name), format_checker=jsonschema.FormatChecker())
    validator.validate(instance)


def validate_page(page: dict, item_schema: str) -> None:
    openapi = json.loads((EXAMPLES_DIR.parent / "schema" / "openapi.json").read_text())
    jsonschema.validate(page, openapi["components"]["schemas"]["Page"])
    assert set(page) == {"total_items", "total_pages", "page_number", "size", "first_page", "last_page", "empty", "contents"}
    for item in page["contents"]:
        validate(item, item_schema)


def run(command: str, *args) -> tuple[str, str, int]:
    out, err = StringIO(), StringIO()
    try:
        call_command(command, *args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exit_:
        code = exit_.code
    return out.getvalue(), err.getvalue(), code


@pytest.fixture
def rich_directory(db):
    """Services with every part the directory keeps: categories (one narrower), areas, opening
    times, locations with addresses, contacts."""
    editor = factories.user(User.Role.DIRECTORY_EDITOR)
    wellbeing = factories.directory_term(name="Wellbeing", description="Feeling well")
    befriending = factories.directory_term(name="Befriending", parent=wellbeing, term_uri="https://example.org/t/1")
    hub = services.location_create(
        actor=editor, name="Community hub", address_1="1 Market Street", city="Northfield",
        state_province="Northshire", postal_code="NF1 1AA", latitude=53.8, longitude=-1.5,
    )
    online = services.location_create(actor=editor, name="Online", location_type="virtual")
    factories.directory_service(
        name="Telephone befriending", terms=[befriending], districts="NF1 NF2", minimum_age=60,
        eligibility="Older people who are lonely", self_referral=True, phone="01632 960001",
        assured_date="2026-01-15", url="https://befriend.example.org", email="hello@befriend.example.org",
        locations=[hub, online], actor=editor,
    )
    factories.directory_service(
        name="Crisis cafe", terms=[wellbeing], days=["FR", "SA"], opens_at=time(18), closes_at=time(2), actor=editor,
    )
    return editor


class TestImport:
    def test_the_profiles_full_service_example_imports_whole(self, db):
        report = import_services(records_of(example("service_full")))

        assert (len(report.created), report.updated, report.refused) == (1, [], [])
        service = Service.objects.get(pk="ac148810-d857-441c-9679-408f346de14b")
        assert service.name == "Community Counselling"
        assert (service.minimum_age, service.maximum_age) == (12, 100)
        assert service.organization.name == "Example Organization Inc."
        schedule = service.schedules.get()
        assert (schedule.byday, schedule.opens_at, schedule.closes_at) == ("TH,FR", time(10), time(18))
        location = service.service_at_locations.get().location
        assert (location.name, location.postal_code) == ("MyCity Civic Center", "ABC 1234")
        assert service.contacts.get().name == "Ann Persona"
        assert service.attributes.get().taxonomy_term.name == "name"
        assert service.service_areas.get().name.startswith("The service is available")

    def test_the_profiles_list_example_imports_and_a_second_import_updates(self, db):
        report = import_services(records_of(example("service_list")))
        assert len(report.created) == 1 and not report.refused

        report = import_services(records_of(example("service_full")))

        assert (report.created, len(report.updated)) == ([], 1)
        assert Service.objects.count() == 1
        assert Service.objects.get().schedules.count() == 1

    def test_refused_records_are_reported_with_their_reason_and_leave_nothing_behind(self, db):
        good = example("service_full")
        no_name = copy.deepcopy(good)
        no_name.update(id="11111111-1111-4111-8111-111111111111")
        del no_name["name"]
        bad_status = copy.deepcopy(good)
        bad_status.update(id="22222222-2222-4222-8222-222222222222", status="open-ish", name="Bad status")
        upside_down = copy.deepcopy(good)
        # Valid ORUK, but against the directory's rules; it fails after its organisation and
        # schedules were written, and none of that may stay.
        upside_down.update(id="33333333-3333-4333-8333-333333333333", name="Upside down", minimum_age=80, maximum_age=18)
        # Another organisation, so without the first one's registered numbers (their ids are its own).
        upside_down["organization"] = {**good["organization"], "id": "44444444-4444-4444-8444-444444444444",
                                       "name": "Half-loaded organisation", "organization_identifiers": []}
        bad_time = copy.deepcopy(good)
        bad_time.update(id="55555555-5555-4555-8555-555555555555", name="Bad time")
        bad_time["organization"] = upside_down["organization"]
        bad_time["schedules"][0]["opens_at"] = "half past nine"

        report = import_services([good, no_name, bad_status, upside_down, bad_time, "not an object"])

        assert report.created == [good["id"]]
        reasons = {refusal.index: refusal.reason for refusal in report.refused}
        assert set(reasons) == {2, 3, 4, 5, 6}
        assert "'name' is a required property" in reasons[2]
        assert "status" in reasons[3] and "open-ish" in reasons[3]
        assert "maximum age" in reasons[4]
        assert "opens_at is not a time" in reasons[5]
        assert reasons[6] == "not a JSON object"
        assert Service.objects.count() == 1
        assert not Organization.objects.filter(name="Half-loaded organisation").exists()
        assert Schedule.objects.count() == 1

    def test_the_command_reports_progress_and_refusals(self, db, tmp_path):
        records = []
        for n in range(50):
            record = copy.deepcopy(example("service_list")["contents"][0])
            record.update(id=f"00000000-0000-4000-8000-{n:012d}", name=f"Service {n}")
            records.append(record)
        records[7]["minimum_age"] = -3
        path = tmp_path / "services.json"
        path.write_text(json.dumps({"total_items": 50, "contents": records}))

        out, err, code = run("directory_import", str(path))

        assert code == 1
        assert "Created 49, updated 0, refused 1" in out
        assert "Refused record 8 (Service 7): minimum_age must be a whole number of years, not -3" in out
        assert "50 of 50 records (100%)" in err
        assert len(err.splitlines()) >= 10
        assert Service.objects.count() == 49

    def test_an_unreadable_file_is_an_error_not_a_traceback(self, db, tmp_path):
        path = tmp_path / "broken.json"
        path.write_text("{not json")

        with pytest.raises(Exception, match="Cannot read"):
            call_command("directory_import", str(path), stdout=StringIO(), stderr=StringIO())


def test_export_then_import_into_an_empty_directory_then_export_again_gives_the_same(rich_directory, tmp_path):
    first = tmp_path / "first.json"
    run("directory_export", str(first))
    exported = json.loads(first.read_text())
    assert exported["total_items"] == 2
    validate_page(exported, "service")
    TaxonomyTerm.objects.update(parent=None)
    for model in DIRECTORY_MODELS:  # an empty directory
        model.objects.all().delete()
    assert not any(model.objects.exists() for model in DIRECTORY_MODELS)

    out, _, code = run("directory_import", str(first))
    assert (code, out.splitlines()[0]) == (0, "Created 2, updated 0, refused 0")
    second = tmp_path / "second.json"
    run("directory_export", str(second))

    assert second.read_text() == first.read_text()
    befriending = TaxonomyTerm.objects.get(name="Befriending")
    assert befriending.parent.name == "Wellbeing"


class TestApi:
    @pytest.fixture
    def api(self, rich_directory):
        client = APIClient()
        client.force_authenticate(factories.user(User.Role.CALL_HANDLER))
        return client

    def test_the_services_page_is_oruk(self, api):
        response = api.get("/api/v1/oruk/services", {"per_page": 1})

        assert response.status_code == 200
        page = response.json()
        validate_page(page, "service_list")
        assert (page["total_items"], page["total_pages"], page["size"], page["first_page"], page["last_page"]) == (
            2, 2, 1, True, False
        )
        assert page["contents"][0]["name"] == "Crisis cafe"

    def test_the_services_page_searches(self, api):
        page = api.get("/api/v1/oruk/services", {"search": "befriending", "postcode": "NF2 7DQ", "age": 80}).json()

        assert [item["name"] for item in page["contents"]] == ["Telephone befriending"]
        assert page["contents"][0]["ccc_self_referral"] is True

    def test_one_service_is_fully_nested_oruk(self, api):
        service = Service.objects.get(name="Telephone befriending")

        response = api.get(f"/api/v1/oruk/services/{service.pk}")

        assert response.status_code == 200
        data = response.json()
        validate(data, "service")
        assert data["service_areas"][0]["extent"] == "NF1 NF2"
        assert {link["location"]["name"] for link in data["service_at_locations"]} == {"Community hub", "Online"}
        assert data["attributes"][0]["taxonomy_term"]["name"] == "Befriending"
        assert data["contacts"][0]["ccc_phone"] == "01632 960001"

    def test_an_unknown_service_is_not_found(self, api):
        assert api.get("/api/v1/oruk/services/0b4fb1a2-5a77-4c37-9f57-3c3a1c6e9d10").status_code == 404

    def test_taxonomy_terms_page(self, api):
        page = api.get("/api/v1/oruk/taxonomy_terms").json()

        jsonschema.validate(page, json.loads((EXAMPLES_DIR.parent / "schema" / "openapi.json").read_text())
                            ["components"]["schemas"]["Page"])
        assert [term["name"] for term in page["contents"]] == ["Befriending", "Wellbeing"]
        assert page["contents"][0]["parent_id"] == str(TaxonomyTerm.objects.get(name="Wellbeing").pk)

    @pytest.mark.parametrize("query", [{"per_page": 0}, {"per_page": 101}, {"page": 0}, {"age": -1},
                                       {"taxonomy_term_id": "0b4fb1a2-5a77-4c37-9f57-3c3a1c6e9d10"}])
    def test_bad_parameters_are_explained(self, api, query):
        response = api.get("/api/v1/oruk/services", query)

        assert response.status_code == 400
        assert set(response.json()) <= {"per_page", "page", "age", "taxonomy_term_id"}


def test_the_served_json_still_validates_after_an_import_of_the_examples(db):
    import_services(records_of(example("service_full")))
    client = APIClient()
    client.force_authenticate(factories.user(User.Role.DUTY_CLINICIAN))

    data = client.get("/api/v1/oruk/services/ac148810-d857-441c-9679-408f346de14b").json()

    validate(data, "service")
