"""Directory services (with their organisations, locations, categories and areas) and signpostings
for the place data generator (``manage.py generate_place``).

The search text comes from the directory's own ``search_document`` and the districts from
``ServiceArea.index_districts``; the stored tsvector is set afterwards by the directory's
``search_vectors_fill``, one UPDATE.
"""

import uuid
from datetime import datetime

from ccc.bulk import copy_rows, instance_row
from directory.models import Attribute, Location, Organization, Service, ServiceArea, ServiceAtLocation, Signposting
from directory.services import search_document, search_vectors_fill

SERVICES_PER_ORGANISATION = 5
DISTRICTS = ["LS1", "LS2", "LS6", "LS7", "LS8", "LS9", "LS11", "LS12", "LS15", "LS16", "LS17", "LS25", "LS28"]
KINDS = ["support group", "advice line", "drop-in", "befriending service", "clinic", "helpline", "day centre"]


def directory_generate(*, rng, count: int, terms: list, at: datetime) -> list[tuple[uuid.UUID, str]]:
    """Write ``count`` services, one organisation for every five, one location each. Returns the
    active services as (id, name), for signposting to."""
    organisations = [
        instance_row(Organization(name=f"Generated organisation {n}", description="Generated for a benchmark"))
        for n in range(max(1, count // SERVICES_PER_ORGANISATION))
    ]
    locations = [
        instance_row(Location(
            organization_id=organisation["id"], name=f"{organisation['name']} base", address_1=f"{n} High Street",
            city="Leeds", postal_code=f"{DISTRICTS[n % len(DISTRICTS)]} {1 + n % 9}AB",
        ))
        for n, organisation in enumerate(organisations)
    ]
    services, attributes, at_locations, areas, active = [], [], [], [], []
    for n in range(count):
        index = rng.randrange(len(organisations))
        organisation, term = organisations[index], terms[n % len(terms)]
        service = Service(
            organization=Organization(pk=organisation["id"], name=organisation["name"]),
            name=f"{term.name} {KINDS[n % len(KINDS)]} {n}", description="Generated for a benchmark",
            eligibility="Adults", last_modified=at,
            status=Service.Status.ACTIVE if n % 20 else Service.Status.TEMPORARILY_CLOSED,
        )
        area = ServiceArea(service=service, name=f"Area {n % 40}", extent=" ".join(rng.sample(DISTRICTS, 3)))
        area.index_districts()
        service.search_document = search_document(service, terms=[term.name], areas=[area.name])
        services.append(instance_row(service))
        areas.append(instance_row(area))
        attributes.append(instance_row(Attribute(service=service, taxonomy_term=term, link_type="category")))
        at_locations.append(instance_row(ServiceAtLocation(service=service, location_id=locations[index]["id"])))
        if service.status == Service.Status.ACTIVE:
            active.append((service.pk, service.name))
    for model, rows in ((Organization, organisations), (Location, locations), (Service, services),
                        (ServiceArea, areas), (Attribute, attributes), (ServiceAtLocation, at_locations)):
        copy_rows(model, rows)
    search_vectors_fill()
    return active


def signposting_row(*, pk: int, service: tuple[uuid.UUID, str] | None, need: str, at: datetime, by: int,
                    referral_id: int | None = None, contact_id: int | None = None) -> dict:
    """As signposting_record keeps it: a service, or an unmet need (not both)."""
    return {
        "id": pk, "service": service[0] if service else None, "need": need, "unmet_need": service is None,
        "referral": referral_id, "contact": contact_id, "signposted_by": by, "signposted_at": at,
        "idempotency_key": f"perf-signposting-{pk}",
    }


DIRECTORY_MODELS = [Organization, Location, Service, ServiceArea, Attribute, ServiceAtLocation, Signposting]
