"""Writes for the directory: organisations, locations, services and signpostings."""

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, time
from typing import Any

from django.contrib.postgres.search import SearchVector
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Value
from django.utils import timezone

from ccc.audit import save_as
from ccc.exceptions import Conflict
from ccc.models import User
from directory.models import (
    Attribute,
    Contact,
    Location,
    Organization,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    Signposting,
    TaxonomyTerm,
)
from directory.text import without_accents

STALE_EDIT = "{name} was changed by someone else while you were editing it: reload the page to see their changes"


def _create_once(model, new_id, make):
    """Create with the id the form was given, once: a repeated submission returns the first record."""
    if new_id is not None:
        existing = model.objects.filter(pk=new_id).first()
        if existing:
            return existing
    try:
        with transaction.atomic():
            return make()
    except (IntegrityError, ValidationError):
        existing = model.objects.filter(pk=new_id).first() if new_id is not None else None
        if existing:  # the same submission arrived twice at once
            return existing
        raise


def _new(model, new_id, fields: dict[str, Any]):
    instance = model(id=new_id) if new_id is not None else model()
    _apply(instance, fields)
    return instance


def _apply(instance, fields: dict[str, Any]) -> None:
    for name, value in fields.items():
        setattr(instance, name, value.strip() if isinstance(value, str) else value)


def _check_unchanged(instance, seen_last_modified: datetime | None) -> None:
    """Two editors on one record: the second save, made from a stale page, loses."""
    current = getattr(instance, "last_modified", None)
    if seen_last_modified is not None and current is not None and current != seen_last_modified:
        raise Conflict(STALE_EDIT.format(name=instance))


# Organisations ---------------------------------------------------------------------------


def organization_create(*, actor: User, new_id: uuid.UUID | None = None, **fields: Any) -> Organization:
    def make() -> Organization:
        organization = _new(Organization, new_id, fields)
        save_as(organization, actor)
        return organization

    return _create_once(Organization, new_id, make)


def organization_update(*, organization: Organization, actor: User, **fields: Any) -> Organization:
    with transaction.atomic():
        organization = Organization.objects.select_for_update().get(pk=organization.pk)
        _apply(organization, fields)
        save_as(organization, actor)
        # Services carry their organisation's name in their search text.
        for service in organization.services.all():
            service_refresh_search(service)
    return organization


def organization_retire(*, organization: Organization, actor: User) -> Organization:
    with transaction.atomic():
        organization = Organization.objects.select_for_update().get(pk=organization.pk)
        if organization.services.exclude(status=Service.Status.DEFUNCT).exists():
            raise ValidationError("Retire this organisation's services first")
        organization.retired_at = organization.retired_at or timezone.now()
        save_as(organization, actor)
    return organization


# Locations -------------------------------------------------------------------------------


def location_create(*, actor: User, new_id: uuid.UUID | None = None, **fields: Any) -> Location:
    def make() -> Location:
        location = _new(Location, new_id, fields)
        save_as(location, actor)
        return location

    return _create_once(Location, new_id, make)


def location_update(*, location: Location, actor: User, **fields: Any) -> Location:
    with transaction.atomic():
        location = Location.objects.select_for_update().get(pk=location.pk)
        _apply(location, fields)
        save_as(location, actor)
    return location


def location_retire(*, location: Location, actor: User) -> Location:
    with transaction.atomic():
        location = Location.objects.select_for_update().get(pk=location.pk)
        location.retired_at = location.retired_at or timezone.now()
        save_as(location, actor)
    return location


# Services --------------------------------------------------------------------------------


@dataclass(frozen=True)
class OpeningTimes:
    """One weekly schedule as a directory editor enters it."""

    days: list[str]
    opens_at: time | None
    closes_at: time | None
    description: str = ""


@dataclass(frozen=True)
class Area:
    name: str
    postcode_districts: str


def service_create(
    *,
    actor: User,
    terms: Iterable[TaxonomyTerm] = (),
    locations: Iterable[Location] = (),
    area: Area | None = None,
    opening_times: OpeningTimes | None = None,
    phone: str = "",
    new_id: uuid.UUID | None = None,
    **fields: Any,
) -> Service:
    """Add a service. ``new_id`` (the form's) makes a repeated submission return the first service."""

    def make() -> Service:
        service = _new(Service, new_id, fields)
        save_as(service, actor)
        _set_parts(service, actor, terms, locations, area, opening_times, phone)
        service_refresh_search(service)
        return service

    return _create_once(Service, new_id, make)


def service_update(
    *,
    service: Service,
    actor: User,
    seen_last_modified: datetime | None = None,
    terms: Iterable[TaxonomyTerm] = (),
    locations: Iterable[Location] = (),
    area: Area | None = None,
    opening_times: OpeningTimes | None = None,
    phone: str = "",
    **fields: Any,
) -> Service:
    with transaction.atomic():
        service = Service.objects.select_for_update().get(pk=service.pk)
        _check_unchanged(service, seen_last_modified)
        _apply(service, fields)
        save_as(service, actor)
        _set_parts(service, actor, terms, locations, area, opening_times, phone)
        service_refresh_search(service)
    return service


def service_retire(*, service: Service, actor: User) -> Service:
    """Retire, never delete: signpostings and referrals that name the service still show it."""
    with transaction.atomic():
        service = Service.objects.select_for_update().get(pk=service.pk)
        if service.status == Service.Status.DEFUNCT:
            raise Conflict(f"{service} is already retired")
        service.status = Service.Status.DEFUNCT
        save_as(service, actor)
    return service


def _set_parts(service, actor, terms, locations, area, opening_times, phone) -> None:
    terms, locations = set(terms), set(locations)
    current_terms = {attribute.taxonomy_term: attribute for attribute in service.attributes.select_related("taxonomy_term")}
    for term, attribute in current_terms.items():
        if term not in terms:
            attribute._history_user = actor
            attribute.delete()
    for term in terms - set(current_terms):
        save_as(Attribute(service=service, taxonomy_term=term, link_type="category"), actor)

    current_locations = {link.location: link for link in service.service_at_locations.select_related("location")}
    for location, link in current_locations.items():
        if location not in locations:
            link._history_user = actor
            link.delete()
    for location in locations - set(current_locations):
        save_as(ServiceAtLocation(service=service, location=location), actor)

    if area is not None:
        existing = service.service_areas.first() or ServiceArea(service=service)
        existing.name, existing.extent, existing.extent_type = area.name.strip(), area.postcode_districts.strip().upper(), "text"
        save_as(existing, actor)
    if opening_times is not None and not (opening_times.days or opening_times.opens_at or opening_times.description):
        # Opening times cleared: the service no longer says when it is open.
        for schedule in service.schedules.all():
            schedule._history_user = actor
            schedule.delete()
    elif opening_times is not None:
        existing = service.schedules.first() or Schedule(service=service)
        existing.byday = ",".join(opening_times.days)
        existing.opens_at, existing.closes_at = opening_times.opens_at, opening_times.closes_at
        existing.description = opening_times.description.strip()
        save_as(existing, actor)
    if phone:
        contact = service.contacts.first() or Contact(service=service, name="Referrals")
        contact.phone = phone.strip()
        save_as(contact, actor)


def service_refresh_search(service: Service) -> None:
    """Rebuild the text a free-text search looks at. No history: it is derived, not edited."""
    document = search_document(
        service,
        terms=[attribute.taxonomy_term.name for attribute in service.attributes.select_related("taxonomy_term")],
        areas=[area.name for area in service.service_areas.all()],
    )
    service.search_document = document
    updates = {"search_document": document}
    if connection.vendor == "postgresql":
        updates["search_vector"] = SearchVector(Value(document), config="english")
    Service.objects.filter(pk=service.pk).update(**updates)


def search_vectors_fill() -> int:
    """Set the stored tsvector of every service written without one (the data generator writes the
    text only), in one UPDATE: derived, so no history, as in service_refresh_search."""
    return Service.objects.filter(search_vector__isnull=True).update(
        search_vector=SearchVector("search_document", config="english")
    )


def search_document(service: Service, *, terms: list[str], areas: list[str]) -> str:
    """The text a free-text search looks at: the service, its organisation, categories and areas."""
    parts = [service.name, service.description, service.eligibility, service.organization.name, *terms, *areas]
    # Without accents, as the search's words are: "cafe" finds "Café".
    return without_accents("\n".join(part for part in parts if part))


# Signposting -----------------------------------------------------------------------------


def signposting_record(
    *,
    service: Service | None,
    need: str,
    unmet_need: bool,
    note: str = "",
    actor: User,
    referral=None,
    contact=None,
    idempotency_key: str = "",
    at: datetime | None = None,
) -> Signposting:
    """Record that someone was signposted to ``service``, or that nothing fitted (``unmet_need``).

    Against a ``contact``, a service also amends the contact (through the front desk's one place
    that writes it), so its "signposted to" names the service; the signposting links to that
    new version. A repeated submission with the same ``idempotency_key`` returns the first record.
    """
    need = need.strip()
    if not need:
        raise ValidationError({"need": "Enter the need"})
    if unmet_need and service is not None:
        raise ValidationError("Choose a service, or record an unmet need: not both")
    if not unmet_need and service is None:
        raise ValidationError({"service": "Choose a service to signpost to"})
    if service is not None:
        # The record as it is now, not as the page that offered it saw it.
        service = Service.objects.get(pk=service.pk)
        if service.status != Service.Status.ACTIVE:
            status = service.get_status_display().lower()
            raise ValidationError({"service": f"{service} is {status}: choose another service"})
    if idempotency_key:
        existing = Signposting.objects.filter(idempotency_key=idempotency_key).first()
        if existing:
            return existing
    signposting = Signposting(
        service=service,
        need=need[:200],
        unmet_need=unmet_need,
        note=note.strip(),
        referral=referral,
        contact=contact,
        signposted_by=actor,
        signposted_at=at or timezone.now(),
        idempotency_key=idempotency_key,
    )
    try:
        with transaction.atomic():
            if contact is not None and service is not None:
                signposting.contact = _contact_signposted(contact, service, actor, idempotency_key)
            save_as(signposting, actor)
    except (IntegrityError, ValidationError):
        # The same click arrived twice at once: the unique key let one in (validation sees the
        # other's row when it committed first, the constraint catches it when it commits later).
        existing = Signposting.objects.filter(idempotency_key=idempotency_key).first() if idempotency_key else None
        if existing:
            return existing
        raise
    return signposting


def _contact_signposted(contact, service: Service, actor: User, idempotency_key: str):
    """The contact's new version naming ``service`` (append-only: the one before stays as it was)."""
    from referrals import services as referral_services

    return referral_services.contact_signpost(
        contact=contact,
        signposted_to=service.name[:200],
        actor=actor,
        # Derived from the signposting's key, so a repeated click amends the contact once.
        idempotency_key=f"{idempotency_key[:54]}-directory" if idempotency_key else uuid.uuid4().hex,
    )
