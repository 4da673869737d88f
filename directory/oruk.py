"""Open Referral UK (HSDS 3, UK profile) JSON: the shapes the API serves and the files the
import and export commands read and write.

What ORUK v3 has no field for travels in ``ccc_*`` extension properties (ORUK's schemas allow
extra properties): who the service is for, how to refer, self-referral, a contact's phone.
What the directory does not keep (languages, funding, cost options, accessibility, attributes
on anything but a service) is listed in ``NOT_STORED``, which docs/DIRECTORY.md repeats; an
import ignores them.
"""

import json
import math
from datetime import UTC, date, datetime, time
from functools import cache
from pathlib import Path
from typing import Any

from directory.models import Location, Organization, Schedule, Service, TaxonomyTerm

SCHEMA_DIR = Path(__file__).resolve().parent / "oruk" / "schema"
EXAMPLES_DIR = Path(__file__).resolve().parent / "oruk" / "examples"


# The fields of ORUK's service_full.json example that an import ignores, as paths ("[]" for each item
# of a list). Everything else survives import then export unchanged (tests/directory/test_oruk_round_trip.py).
NOT_STORED = (
    "languages",
    "funding",
    "cost_options",
    "service_at_locations[].location.accessibility",
)


@cache
def schema(name: str) -> dict:
    """A vendored ORUK JSON Schema, by file name without ``.json`` (``service``, ``service_list``...)."""
    return json.loads((SCHEMA_DIR / f"{name}.json").read_text())


def _clean(data: dict[str, Any]) -> dict[str, Any]:
    """Drop absent values: ORUK types them (a number, a uri) and null or "" would not validate."""
    return {key: value for key, value in data.items() if value is not None and value != ""}


def _iso(value: date | time | datetime | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
    if isinstance(value, time):
        return value.strftime("%H:%M:%S")
    return value.isoformat()


def organization_json(organization: Organization, *, identifiers: bool = False) -> dict:
    """An organisation; with ``identifiers`` (prefetched), its registered numbers too."""
    data = _clean(
        {
            "id": str(organization.id),
            "name": organization.name,
            "description": organization.description or organization.name,
            "email": organization.email,
            "website": organization.website,
            "logo": organization.logo,
            "uri": organization.uri,
            "parent_organization_id": str(organization.parent_organization_id)
            if organization.parent_organization_id
            else None,
        }
    )
    if identifiers:
        data["organization_identifiers"] = [
            _clean(
                {
                    "id": str(identifier.id),
                    "organization_id": str(organization.id),
                    "identifier_scheme": identifier.identifier_scheme,
                    "identifier_type": identifier.identifier_type,
                    "identifier": identifier.identifier,
                }
            )
            for identifier in organization.identifiers.all()
        ]
    return data


def taxonomy_term_json(term: TaxonomyTerm) -> dict:
    return _clean(
        {
            "id": str(term.id),
            "name": term.name,
            "description": term.description or term.name,
            "parent_id": str(term.parent_id or term.parent_ref) if (term.parent_id or term.parent_ref) else None,
            "taxonomy": term.taxonomy.name if term.taxonomy else None,
            "taxonomy_id": str(term.taxonomy_id) if term.taxonomy_id else None,
            "term_uri": term.term_uri,
            "term": term.code,
        }
    )


def location_json(location: Location) -> dict:
    data = _clean(
        {
            "id": str(location.id),
            "location_type": location.location_type,
            "name": location.name,
            "description": location.description,
            "latitude": location.latitude,
            "longitude": location.longitude,
            "external_identifier": location.external_identifier,
            "external_identifier_type": location.external_identifier_type,
        }
    )
    if location.address_1:
        data["addresses"] = [
            {
                "id": str(location.address_id),
                "location_id": str(location.id),
                **_clean({"attention": location.attention}),
                "address_1": location.address_1,
                "city": location.city,
                **_clean({"region": location.region}),
                "state_province": location.state_province,
                "postal_code": location.postal_code,
                "country": location.country,
                "address_type": location.address_type,
            }
        ]
    return data


def schedule_json(schedule: Schedule) -> dict:
    return _clean(
        {
            "id": str(schedule.id),
            "service_id": str(schedule.service_id),
            "freq": schedule.freq,
            "interval": schedule.interval,
            "byday": schedule.byday,
            "opens_at": _iso(schedule.opens_at),
            "closes_at": _iso(schedule.closes_at),
            "valid_from": _iso(schedule.valid_from),
            "valid_to": _iso(schedule.valid_to),
            "dtstart": _iso(schedule.dtstart),
            "bymonthday": schedule.bymonthday,
            "description": schedule.description,
            "notes": schedule.notes,
            "schedule_link": schedule.schedule_link,
            "attending_type": schedule.attending_type,
        }
    )


def service_summary_json(service: Service) -> dict:
    """A service as an item of a ``/services`` page (service_list.json)."""
    return _clean(
        {
            "id": str(service.id),
            "organization_id": str(service.organization_id),
            "name": service.name,
            "description": service.description,
            "url": service.url,
            "email": service.email,
            "status": service.status,
            "fees": service.fees,
            "accreditations": service.accreditations,
            "minimum_age": service.minimum_age,
            "maximum_age": service.maximum_age,
            "assured_date": _iso(service.assured_date),
            "assurer_email": service.assurer_email,
            "alert": service.alert,
            "last_modified": _iso(service.last_modified),
            "organization": organization_json(service.organization),
            "ccc_eligibility": service.eligibility,
            "ccc_referral_method": service.referral_method,
            "ccc_self_referral": service.self_referral,
        }
    )


def service_json(service: Service) -> dict:
    """A service fully nested, as ``/services/{id}`` (service.json). Use with
    ``selectors.service_details`` so the related rows come prefetched."""
    data = service_summary_json(service)
    data["organization"] = organization_json(service.organization, identifiers=True)
    data["schedules"] = [schedule_json(schedule) for schedule in service.schedules.all()]
    data["service_areas"] = [
        _clean(
            {
                "id": str(area.id),
                "service_id": str(service.id),
                "name": area.name,
                "extent": area.extent,
                "extent_type": area.extent_type,
                "uri": area.uri,
                "service_area": area.service_area,
            }
        )
        for area in service.service_areas.all()
    ]
    data["service_at_locations"] = [
        {
            "id": str(link.id),
            "service_id": str(service.id),
            "location_id": str(link.location_id),
            "location": location_json(link.location),
        }
        for link in sorted(service.service_at_locations.all(), key=lambda link: str(link.id))
    ]
    data["contacts"] = [
        _clean(
            {
                "id": str(contact.id),
                "service_id": str(service.id),
                "name": contact.name,
                "title": contact.title,
                "ccc_phone": contact.phone,
            }
        )
        for contact in service.contacts.all()
    ]
    data["attributes"] = [
        {
            "id": str(attribute.id),
            "link_id": str(service.id),
            "taxonomy_term_id": str(attribute.taxonomy_term_id),
            "link_type": attribute.link_type or "category",
            "taxonomy_term": taxonomy_term_json(attribute.taxonomy_term),
        }
        for attribute in sorted(service.attributes.all(), key=lambda attribute: str(attribute.id))
    ]
    return data


def page_json(contents: list[dict], *, total_items: int, page_number: int, per_page: int) -> dict:
    """ORUK's page envelope (openapi.json's Page): ``size`` is the number of items on this page."""
    total_pages = math.ceil(total_items / per_page) if per_page else 0
    return {
        "total_items": total_items,
        "total_pages": total_pages,
        "page_number": page_number,
        "size": len(contents),
        "first_page": page_number == 1,
        "last_page": page_number >= total_pages,
        "empty": not contents,
        "contents": contents,
    }
