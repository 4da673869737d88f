"""Import services from Open Referral UK JSON: a ``/services`` page, a list, or one service.

Each service is its own savepoint: a record that fails (the ORUK schema, or the directory's own
rules) is refused whole, with its reason, and the others load. A record whose id is already in
the directory updates it; its schedules, areas, locations, contacts and attributes become the
file's when the file has them, and are left alone when it has none (a ``/services`` page item).
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, time, timedelta
from typing import Any

import jsonschema
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils.dateparse import parse_datetime

from ccc.audit import save_as, update_as
from directory import services as directory_services
from directory.models import (
    Attribute,
    Contact,
    Location,
    Organization,
    OrganizationIdentifier,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)
from directory.oruk import schema

NESTED = ("schedules", "service_areas", "service_at_locations", "contacts", "attributes")


@dataclass
class Refusal:
    index: int  # 1-based position in the file
    record_id: str
    name: str
    reason: str


@dataclass
class ImportReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    refused: list[Refusal] = field(default_factory=list)


class Refused(Exception):
    pass


def records_of(data: Any) -> list[dict]:
    """The service records in a file: a page's contents, a list, or a single service."""
    if isinstance(data, dict) and "contents" in data:
        data = data["contents"]
    if isinstance(data, dict):
        data = [data]
    if not isinstance(data, list):
        raise ValueError("Expected an ORUK /services page, a list of services or one service")
    return data


def import_services(
    records: Iterable[Any], *, actor=None, progress: Callable[[int, int], None] | None = None
) -> ImportReport:
    records = list(records)
    report = ImportReport()
    for index, record in enumerate(records, start=1):
        record_id = str(record.get("id", "")) if isinstance(record, dict) else ""
        name = str(record.get("name", "")) if isinstance(record, dict) else ""
        try:
            with transaction.atomic():  # a savepoint: a bad record leaves nothing behind
                created = _import_service(record, actor)
        except Refused as error:
            report.refused.append(Refusal(index, record_id, name, str(error)))
        except ValidationError as error:
            report.refused.append(Refusal(index, record_id, name, _explain(error)))
        except DatabaseError as error:
            report.refused.append(Refusal(index, record_id, name, f"database refused it: {error}".strip()))
        else:
            (report.created if created else report.updated).append(record_id)
        if progress:
            progress(index, len(records))
    _link_parents(records, actor)
    return report


def _link_parents(records: list, actor) -> None:
    """A term may come before its parent in the file: link parents once every term is in."""
    wanted = {}
    for record in records:
        for attribute in record.get("attributes") or [] if isinstance(record, dict) else []:
            term = attribute.get("taxonomy_term") if isinstance(attribute, dict) else None
            if isinstance(term, dict) and term.get("parent_id"):
                wanted[str(term["id"])] = str(term["parent_id"])
    for term in TaxonomyTerm.objects.filter(pk__in=wanted, parent__isnull=True):
        parent = TaxonomyTerm.objects.filter(pk=wanted[str(term.pk)]).first()
        if parent is not None and parent.pk != term.pk:
            term.parent, term.parent_ref = parent, None
            save_as(term, actor)


def _explain(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return "; ".join(f"{field}: {' '.join(messages)}" for field, messages in error.message_dict.items())
    return " ".join(error.messages)


def _validate(record: Any) -> None:
    if not isinstance(record, dict):
        raise Refused("not a JSON object")
    name = "service" if any(key in record for key in NESTED) else "service_list"
    errors = sorted(jsonschema.Draft202012Validator(schema(name)).iter_errors(record), key=lambda e: list(e.path))
    if errors:
        first = errors[0]
        where = "/".join(str(part) for part in first.absolute_path) or "record"
        raise Refused(f"not valid ORUK at {where}: {first.message}")


def _import_service(record: dict, actor) -> bool:
    _validate(record)
    organization = _organization(record.get("organization"), record.get("organization_id"), actor)
    service = Service.objects.select_related("organization").filter(pk=record["id"]).first()
    created = service is None
    service = service or Service(id=record["id"])
    service.organization = organization
    for name in ("name", "description", "url", "email", "status", "fees", "accreditations", "assurer_email", "alert"):
        setattr(service, name, record.get(name, "") or "")
    for name in ("minimum_age", "maximum_age"):
        value = record.get(name)
        if value is not None and (value != int(value) or value < 0):
            raise Refused(f"{name} must be a whole number of years, not {value}")
        setattr(service, name, None if value is None else int(value))
    service.assured_date = _date(record.get("assured_date"), "assured_date")
    service.eligibility = record.get("ccc_eligibility", "") or ""
    service.referral_method = record.get("ccc_referral_method", "") or ""
    service.self_referral = bool(record.get("ccc_self_referral", False))
    _save(service, actor)

    if "schedules" in record:
        _replace(service.schedules, [_schedule(service, item) for item in record["schedules"]], actor)
    if "service_areas" in record:
        areas = [
            ServiceArea(
                id=item["id"],
                service=service,
                name=item.get("name") or item.get("service_area") or "",
                service_area=item.get("service_area", "") or "",
                extent=item.get("extent", "") or "",
                extent_type=item.get("extent_type", "text") or "text",
                uri=item.get("uri", "") or "",
            )
            for item in record["service_areas"]
        ]
        _replace(service.service_areas, areas, actor)
    if "service_at_locations" in record:
        links = []
        for item in record["service_at_locations"]:
            location = _location(item.get("location"), item.get("location_id"), actor)
            links.append(ServiceAtLocation(id=item["id"], service=service, location=location))
        _replace(service.service_at_locations, links, actor)
    if "contacts" in record:
        contacts = [
            Contact(
                id=item["id"],
                service=service,
                name=item.get("name", "") or "",
                title=item.get("title", "") or "",
                phone=item.get("ccc_phone", "") or "",
            )
            for item in record["contacts"]
        ]
        _replace(service.contacts, contacts, actor)
    if "attributes" in record:
        attributes = []
        for item in record["attributes"]:
            term = _term(item.get("taxonomy_term"), item.get("taxonomy_term_id"), actor)
            attributes.append(
                Attribute(id=item["id"], service=service, taxonomy_term=term, link_type=item.get("link_type", "") or "")
            )
        _replace(service.attributes, attributes, actor)

    directory_services.service_refresh_search(service)
    # Keep the file's last_modified, so an export of an import reads as the original did.
    last_modified = parse_datetime(record["last_modified"]) if record.get("last_modified") else None
    # To the millisecond, as exports write it: an unchanged record's time is not rewritten.
    if last_modified and abs(last_modified - service.last_modified) >= timedelta(milliseconds=1):
        update_as(Service.objects.filter(pk=service.pk), actor, last_modified=last_modified)
    return created


# Worked out from other fields on save, so not a difference between the file and the directory.
DERIVED = {"district_index", "search_document", "search_vector", "last_modified"}


def _save(item, actor) -> None:
    """Save a row built from the file as an update of the row with its id, if there is one. A row
    the file leaves as it was is not saved, so importing an export writes no history."""
    model = type(item)
    current = model.objects.filter(pk=item.pk).first()
    if current is not None:
        item._state.adding = False  # the same record again, not a second one with its id
        fields = [field for field in model._meta.concrete_fields if field.name not in DERIVED]
        # As stored: the file gives ids and numbers as text where the database has UUIDs.
        if all(field.to_python(getattr(current, field.attname)) == field.to_python(getattr(item, field.attname))
               for field in fields):
            return
    save_as(item, actor)


def _replace(related_manager, wanted: list, actor, owner: str = "service") -> None:
    """Make an owner's rows of one kind the file's: update by id, add new, remove the rest."""
    keep = {str(item.id) for item in wanted}
    for old in related_manager.all():
        if str(old.pk) not in keep:
            old._history_user = actor
            old.delete()
    for item in wanted:
        model = type(item)
        elsewhere = model.objects.filter(pk=item.id).exclude(**{owner: getattr(item, owner)}).exists()
        if elsewhere:
            raise Refused(f"{model._meta.verbose_name} {item.id} belongs to another {owner}")
        _save(item, actor)


def _date(value: Any, name: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        raise Refused(f"{name} is not a date: {value!r}") from None


def _time(value: Any, name: str) -> time | None:
    if not value:
        return None
    text = str(value).rstrip("Z")
    try:
        return time.fromisoformat(text[:8])
    except ValueError:
        raise Refused(f"{name} is not a time: {value!r}") from None


def _schedule(service: Service, item: dict) -> Schedule:
    interval = item.get("interval") or 1
    return Schedule(
        id=item["id"],
        service=service,
        freq=item.get("freq", "WEEKLY") or "WEEKLY",
        interval=int(interval),
        byday=(item.get("byday", "") or "").upper().replace(" ", ""),
        opens_at=_time(item.get("opens_at"), "opens_at"),
        closes_at=_time(item.get("closes_at"), "closes_at"),
        valid_from=_date(item.get("valid_from"), "valid_from"),
        valid_to=_date(item.get("valid_to"), "valid_to"),
        dtstart=_date(item.get("dtstart"), "dtstart"),
        bymonthday=(item.get("bymonthday", "") or "").replace(" ", ""),
        description=item.get("description", "") or "",
        notes=item.get("notes", "") or "",
        schedule_link=item.get("schedule_link", "") or "",
        attending_type=item.get("attending_type", "") or "",
    )


def _organization(data: dict | None, organization_id: str | None, actor) -> Organization:
    if data is None:
        organization = Organization.objects.filter(pk=organization_id).first() if organization_id else None
        if organization is None:
            raise Refused("no organization: give the organization, or the id of one already in the directory")
        return organization
    organization = Organization.objects.filter(pk=data["id"]).first() or Organization(id=data["id"])
    organization.name = data["name"]
    organization.description = data.get("description", "") or ""
    organization.email = data.get("email", "") or ""
    organization.website = data.get("website", "") or ""
    organization.uri = data.get("uri", "") or ""
    organization.logo = data.get("logo", "") or ""
    organization.parent_organization_id = data.get("parent_organization_id") or None
    _save(organization, actor)
    if "organization_identifiers" in data:
        identifiers = [
            OrganizationIdentifier(
                id=item["id"],
                organization=organization,
                identifier_scheme=item.get("identifier_scheme", "") or "",
                identifier_type=item["identifier_type"],
                identifier=item["identifier"],
            )
            for item in data["organization_identifiers"]
        ]
        _replace(organization.identifiers, identifiers, actor, owner="organization")
    return organization


def _location(data: dict | None, location_id: str | None, actor) -> Location:
    if data is None:
        location = Location.objects.filter(pk=location_id).first() if location_id else None
        if location is None:
            raise Refused("a service_at_location names no location the directory knows")
        return location
    location = Location.objects.filter(pk=data["id"]).first() or Location(id=data["id"])
    location.location_type = data.get("location_type", "physical")
    location.name = data.get("name", "") or ""
    location.description = data.get("description", "") or ""
    location.latitude = data.get("latitude")
    location.longitude = data.get("longitude")
    location.external_identifier = data.get("external_identifier", "") or ""
    location.external_identifier_type = data.get("external_identifier_type", "") or ""
    addresses = data.get("addresses") or []
    if addresses:
        address = addresses[0]
        location.address_id = address["id"]
        location.address_type = address.get("address_type") or Location.Kind.PHYSICAL
        location.attention = address.get("attention", "") or ""
        location.address_1 = address.get("address_1", "") or ""
        location.city = address.get("city", "") or ""
        location.region = address.get("region", "") or ""
        location.state_province = address.get("state_province", "") or ""
        location.postal_code = address.get("postal_code", "") or ""
        location.country = address.get("country", "GB") or "GB"
    _save(location, actor)
    return location


def _term(data: dict | None, term_id: str | None, actor) -> TaxonomyTerm:
    if data is None:
        term = TaxonomyTerm.objects.filter(pk=term_id).first() if term_id else None
        if term is None:
            raise Refused("an attribute names no taxonomy term the directory knows")
        return term
    term = TaxonomyTerm.objects.filter(pk=data["id"]).first() or TaxonomyTerm(id=data["id"])
    term.name = data["name"]
    term.description = data.get("description", "") or ""
    term.code = data.get("term", "") or ""
    term.term_uri = data.get("term_uri", "") or ""
    term.taxonomy = _taxonomy(data.get("taxonomy_id"), data.get("taxonomy"), actor)
    # A parent the directory does not have yet is kept as an id rather than invented.
    parent_id = data.get("parent_id")
    term.parent = TaxonomyTerm.objects.filter(pk=parent_id).first() if parent_id else None
    term.parent_ref = parent_id if parent_id and term.parent is None else None
    _save(term, actor)
    return term


def _taxonomy(taxonomy_id: str | None, name: str | None, actor) -> Taxonomy | None:
    if not (taxonomy_id or name):
        return None
    taxonomy = Taxonomy.objects.filter(pk=taxonomy_id).first() if taxonomy_id else None
    taxonomy = taxonomy or (Taxonomy.objects.filter(name=name).first() if name else None)
    if taxonomy is None:
        taxonomy = Taxonomy(name=name or str(taxonomy_id))
        if taxonomy_id:
            taxonomy.id = taxonomy_id
        save_as(taxonomy, actor)
    return taxonomy

