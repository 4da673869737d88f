"""Open Referral UK round trip: every field of the profile's full service example survives import
then export, or is named as not stored (in ``directory.oruk.NOT_STORED`` and docs/DIRECTORY.md);
importing what is already there updates it and, when nothing differs, writes nothing."""

import json
from pathlib import Path

import pytest

from ccc.models import User
from directory import demo as directory_demo
from directory.models import Location, Organization, Schedule, Service, TaxonomyTerm
from directory.oruk import NOT_STORED, service_json
from directory.oruk_import import import_services, records_of
from directory.selectors import service_details
from tests import factories
from tests.directory.test_oruk import example, run, validate

DOCS = Path(__file__).resolve().parents[2] / "docs" / "DIRECTORY.md"
FULL_ID = "ac148810-d857-441c-9679-408f346de14b"


def leaves(value, path="", indexes=()):
    """Every (path, list indexes, value) of a JSON value; a list's items are under "[]"."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from leaves(item, f"{path}.{key}" if path else key, indexes)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from leaves(item, f"{path}[]", (*indexes, index))
    else:
        yield path, indexes, value


def at(data, path: str, indexes):
    """The value at ``path`` in ``data``, taking a list's item by the next of ``indexes``."""
    indexes = list(indexes)
    for part in path.split("."):
        data = data[part.rstrip("[]")]
        for _ in range(part.count("[]")):
            data = data[indexes.pop(0)]
    return data


def not_stored(path: str) -> bool:
    return any(path == skipped or path.startswith(skipped + ".") or path.startswith(skipped + "[]")
               for skipped in NOT_STORED)


def exported(service_id: str) -> dict:
    return service_json(service_details(Service.objects.filter(pk=service_id), identifiers=True).get())


def test_every_field_of_the_full_example_survives_import_then_export_or_is_listed_as_not_stored(db):
    original = example("service_full")
    import_services(records_of(original))

    back = exported(FULL_ID)

    validate(back, "service")
    lost = []
    for path, indexes, value in leaves(original):
        if not_stored(path):
            continue
        try:
            survived = at(back, path, indexes)
        except (KeyError, IndexError):
            survived = "(missing)"
        if survived != value:
            lost.append(f"{path}: {value!r} came back as {survived!r}")
    assert lost == []


def test_the_fields_not_stored_are_the_ones_the_docs_list():
    docs = DOCS.read_text()
    assert [path for path in NOT_STORED if f"`{path}`" not in docs] == []


def test_the_fields_named_as_not_stored_are_really_in_the_example():
    """A name here that the profile does not have would hide nothing and mislead a reader."""
    paths = {path for path, _, _ in leaves(example("service_full"))}
    assert [name for name in NOT_STORED if not any(p == name or p.startswith(name) for p in paths)] == []


def test_the_parts_that_used_to_be_lost_are_kept(db):
    import_services(records_of(example("service_full")))

    schedule = Schedule.objects.get()
    assert (str(schedule.dtstart), schedule.bymonthday, schedule.schedule_link) == (
        "2005-01-01", "2,3,4", "http://example.com"
    )
    assert schedule.attending_type.startswith("You can attend")
    location = Location.objects.get()
    assert (location.address_type, location.attention, location.external_identifier_type) == (
        "postal", "A. Persona", "UPRN"
    )
    organization = Organization.objects.get()
    assert str(organization.parent_organization_id) == "cd09a387-91f4-4555-94ec-e799c35344cd"
    assert [(i.identifier_scheme, i.identifier) for i in organization.identifiers.all()] == [("GB-COH", "1234567")]
    term = TaxonomyTerm.objects.get()
    assert (term.parent, str(term.parent_ref)) == (None, "0bc248fa-dc27-4650-9ba4-8f1a24ef16a2")


class TestImportingWhatIsThere:
    def test_a_service_already_in_the_directory_is_updated_with_history(self, db):
        import_services(records_of(example("service_full")))
        changed = example("service_full")
        changed["name"] = "Community Counselling (Northfield)"
        changed["schedules"][0]["closes_at"] = "17:00:00"

        report = import_services(records_of(changed))

        assert (report.created, report.updated, report.refused) == ([], [FULL_ID], [])
        service = Service.objects.get()
        assert service.name == "Community Counselling (Northfield)"
        assert [h.name for h in service.history.order_by("history_date")][-1] == "Community Counselling (Northfield)"
        assert str(Schedule.objects.get().closes_at) == "17:00:00"
        assert Schedule.objects.get().history.count() == 2

    def test_the_same_file_twice_changes_nothing_and_writes_no_history(self, db):
        import_services(records_of(example("service_full")))
        before = exported(FULL_ID)
        rows = history_rows()

        report = import_services(records_of(example("service_full")))

        assert (report.updated, report.refused) == ([FULL_ID], [])
        assert exported(FULL_ID) == before
        assert history_rows() == rows

    def test_export_then_import_into_the_same_directory_refuses_nothing_and_changes_nothing(self, db, tmp_path):
        """The demo directory, exported and read straight back in (once it refused every service)."""
        directory_demo.load(factories.user(User.Role.DIRECTORY_EDITOR))
        path = tmp_path / "directory.json"
        run("directory_export", str(path))
        services = json.loads(path.read_text())["total_items"]
        rows = history_rows()

        out, _, code = run("directory_import", str(path))

        assert (code, out.splitlines()[0]) == (0, f"Created 0, updated {services}, refused 0")
        again = tmp_path / "again.json"
        run("directory_export", str(again))
        assert again.read_text() == path.read_text()
        assert history_rows() == rows


def history_rows() -> int:
    from directory import models

    return sum(model.history.count() for model in vars(models).values()
               if isinstance(model, type) and hasattr(model, "history") and hasattr(model, "_meta"))


class TestApi:
    @pytest.fixture
    def api(self, db, login):
        return login(factories.user(User.Role.CALL_HANDLER))

    def test_search_ignores_accents_and_case(self, api):
        factories.directory_service(name="Memory Café", eligibility="People living with dementia")
        factories.directory_service(name="Memory clinic", eligibility="Referral by GP")

        for typed in ("memory cafe", "MEMORY CAFÉ", "Memory Cafe"):
            names = [item["name"] for item in api.get("/api/v1/oruk/services", {"search": typed}).json()["contents"]]
            assert names[0] == "Memory Café", typed

    def test_a_page_s_size_is_the_number_of_items_on_it(self, api):
        for index in range(3):
            factories.directory_service(name=f"Service {index}")

        last = api.get("/api/v1/oruk/services", {"per_page": 2, "page": 2}).json()

        assert (last["size"], last["total_items"], last["total_pages"], last["last_page"]) == (1, 3, 2, True)
        assert len(last["contents"]) == 1
