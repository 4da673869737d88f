"""The directory of services, modelled on Open Referral UK (HSDS 3, UK profile).

Names follow ORUK (organization, service, location, service_at_location, schedule,
service_area, contact, taxonomy, taxonomy_term, attribute) so import and export map one to
one. ORUK identifiers are UUIDs, so they are the primary keys here too. A few fields that the
Care Co-ordination Centre needs and ORUK v3 lacks (who the service is for, how to refer, whether
it takes self-referrals, a contact's phone) travel in ``ccc_*`` extension properties.

Nothing here is deleted: a service, organisation or location is retired (a service's status
becomes "defunct"), so signpostings and history that name it still read correctly.
"""

import uuid

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords

from ccc.text import note_field


class Taxonomy(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=200, unique=True)
    description = note_field(blank=True)
    uri = models.URLField(blank=True)
    version = models.CharField(max_length=50, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "taxonomies"

    def __str__(self) -> str:
        return self.name


class TaxonomyTerm(models.Model):
    """A need or category a service meets: what a call handler searches by."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    code = models.CharField(max_length=100, blank=True, db_index=True, help_text="The term's code in its taxonomy.")
    name = models.CharField(max_length=200)
    description = note_field(blank=True)
    parent = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="children")
    # A parent named by an imported file that the directory does not hold (yet): kept, so it goes out again.
    parent_ref = models.UUIDField(null=True, blank=True, editable=False)
    taxonomy = models.ForeignKey(Taxonomy, on_delete=models.PROTECT, null=True, blank=True, related_name="terms")
    term_uri = models.URLField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Organization(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=300)
    description = note_field()
    email = models.EmailField(blank=True)
    website = models.URLField(blank=True)
    uri = models.URLField(blank=True)
    logo = models.URLField(blank=True)
    # ORUK's parent_organization_id: the parent may be in another directory, so a plain id, not a link.
    parent_organization_id = models.UUIDField(null=True, blank=True)
    retired_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = "organisation"

    def __str__(self) -> str:
        return self.name


class OrganizationIdentifier(models.Model):
    """A registered number of an organisation (e.g. scheme GB-COH, a company number; GB-CHC, a charity)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="identifiers")
    identifier_scheme = models.CharField(max_length=50, blank=True)
    identifier_type = models.CharField(max_length=100)
    identifier = models.CharField(max_length=100)

    history = HistoricalRecords()

    class Meta:
        ordering = ["identifier_scheme", "identifier"]

    def __str__(self) -> str:
        return f"{self.identifier_type} {self.identifier}"


class Location(models.Model):
    class Kind(models.TextChoices):
        PHYSICAL = "physical", "A place people visit"
        POSTAL = "postal", "A postal address"
        VIRTUAL = "virtual", "Online or by phone"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, null=True, blank=True, related_name="locations", verbose_name="organisation"
    )
    location_type = models.CharField(max_length=20, choices=Kind.choices, default=Kind.PHYSICAL)
    name = models.CharField(max_length=300)
    description = note_field(blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    external_identifier = models.CharField(max_length=100, blank=True, help_text="e.g. the building's UPRN.")
    external_identifier_type = models.CharField(max_length=50, blank=True)
    # ORUK allows several addresses; the directory keeps one, with its own ORUK id.
    address_id = models.UUIDField(default=uuid.uuid4, editable=False)
    address_type = models.CharField(max_length=20, choices=Kind.choices, default=Kind.PHYSICAL)
    attention = models.CharField("For the attention of", max_length=200, blank=True)
    address_1 = models.CharField("Address", max_length=300, blank=True)
    city = models.CharField("Town or city", max_length=100, blank=True)
    region = models.CharField(max_length=100, blank=True)
    state_province = models.CharField("County", max_length=100, blank=True)
    postal_code = models.CharField("Postcode", max_length=20, blank=True)
    country = models.CharField(max_length=2, default="GB")
    retired_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Service(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        INACTIVE = "inactive", "Inactive"
        TEMPORARILY_CLOSED = "temporarily closed", "Temporarily closed"
        DEFUNCT = "defunct", "Retired"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="services", verbose_name="organisation"
    )
    name = models.CharField(max_length=300)
    description = note_field("What the service does", blank=True)
    url = models.URLField("Website", blank=True)
    email = models.EmailField(blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.ACTIVE)
    fees = note_field(blank=True)
    accreditations = note_field(blank=True)
    minimum_age = models.PositiveSmallIntegerField(null=True, blank=True)
    maximum_age = models.PositiveSmallIntegerField(null=True, blank=True)
    eligibility = note_field("Who it is for", blank=True, help_text="Conditions and criteria, in plain words.")
    referral_method = note_field("How to refer", blank=True)
    self_referral = models.BooleanField("Takes self-referrals", default=False)
    assured_date = models.DateField("Last reviewed", null=True, blank=True)
    assurer_email = models.EmailField("Reviewed by (email)", blank=True)
    alert = note_field(blank=True)
    last_modified = models.DateTimeField(auto_now=True)
    # Everything a free-text search looks at, in one column: PostgreSQL indexes it for full-text
    # search (migration 0002); SQLite falls back to icontains on it.
    search_document = models.TextField(blank=True, editable=False)
    # Its English tsvector, kept by services.service_refresh_search on PostgreSQL (GIN-indexed in
    # migration 0002), so matching and ranking never re-parse the text. Always null on SQLite.
    search_vector = SearchVectorField(null=True, editable=False)

    history = HistoricalRecords(excluded_fields=["search_document", "search_vector"])

    class Meta:
        ordering = ["name"]
        indexes = [
            models.Index(fields=["status", "assured_date"], name="service_status_assured_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(minimum_age__isnull=True)
                | models.Q(maximum_age__isnull=True)
                | models.Q(minimum_age__lte=models.F("maximum_age")),
                name="service_age_range_ordered",
                violation_error_message="The minimum age must not be above the maximum age",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.minimum_age is not None and self.maximum_age is not None and self.minimum_age > self.maximum_age:
            raise ValidationError({"maximum_age": "The maximum age must be the same as or above the minimum age"})

    @property
    def is_retired(self) -> bool:
        return self.status == self.Status.DEFUNCT

    @property
    def age_range_display(self) -> str:
        low, high = self.minimum_age, self.maximum_age
        if low is None and high is None:
            return "Any age"
        if high is None:
            return f"Aged {low} and over"
        if low is None:
            return f"Aged up to {high}"
        return f"Aged {low} to {high}"


class ServiceArea(models.Model):
    """Where a service is offered. ``extent`` holds the postcode districts it covers (ORUK
    extent_type "text"), e.g. "LS1 LS2 LS6"; the search matches a postcode's outward code."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="service_areas")
    name = models.CharField("Area name", max_length=300, help_text="A locality, e.g. 'Northfield and Eastbrook'.")
    extent = note_field("Postcode districts", blank=True, help_text="Outward codes separated by spaces, e.g. LS1 LS2 LS6")
    extent_type = models.CharField(max_length=20, default="text")
    uri = models.CharField(max_length=300, blank=True)
    # ORUK's free-text description of the area, beside its name.
    service_area = note_field(blank=True)
    # The districts again, upper case with a space either side, so " LS6 " finds LS6 and not LS16.
    district_index = models.TextField(blank=True, editable=False, db_index=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.index_districts()
        super().save(*args, **kwargs)

    def index_districts(self) -> None:
        districts = self.extent.upper().replace(",", " ").split() if self.extent_type == "text" else []
        self.district_index = f" {' '.join(districts)} " if districts else ""


class Schedule(models.Model):
    """When a service is open: a weekly rule in UK local time (ORUK/iCal freq and byday)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="schedules")
    freq = models.CharField(max_length=10, default="WEEKLY")
    interval = models.PositiveSmallIntegerField(default=1)
    byday = models.CharField("Days", max_length=30, blank=True, help_text="e.g. MO,TU,WE,TH,FR")
    opens_at = models.TimeField(null=True, blank=True)
    closes_at = models.TimeField(null=True, blank=True, help_text="Before the opening time: open past midnight.")
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)
    dtstart = models.DateField("First day", null=True, blank=True)
    bymonthday = models.CharField("Days of the month", max_length=100, blank=True, help_text="e.g. 1,15")
    description = note_field(blank=True)
    notes = note_field(blank=True)
    schedule_link = models.URLField(blank=True)
    attending_type = models.CharField(max_length=300, blank=True, help_text="In person, by phone, online...")

    history = HistoricalRecords()

    class Meta:
        ordering = ["opens_at"]

    def __str__(self) -> str:
        return self.display

    @property
    def display(self) -> str:
        if self.description:
            return self.description
        codes = [code for code in self.byday.split(",") if code]
        if not codes or codes == DAY_CODES:
            days = "Every day"
        elif codes == DAY_CODES[:5]:
            days = "Monday to Friday"
        else:
            days = ", ".join(DAY_NAMES.get(code, code) for code in codes)
        if self.opens_at is not None and self.closes_at is not None:
            if self.opens_at == self.closes_at:
                return f"{days}, 24 hours"
            return f"{days} {self.opens_at:%H:%M} to {self.closes_at:%H:%M}"
        return days


DAY_CODES = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
DAY_NAMES = dict(zip(DAY_CODES, ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"], strict=True))


class ServiceAtLocation(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="service_at_locations")
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="service_at_locations")

    history = HistoricalRecords()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["service", "location"], name="service_at_location_unique")]


class Contact(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(max_length=200, blank=True)
    title = models.CharField(max_length=200, blank=True)
    phone = models.CharField(max_length=40, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]


class Attribute(models.Model):
    """Links a service to a taxonomy term (ORUK ``attribute``)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="attributes")
    taxonomy_term = models.ForeignKey(TaxonomyTerm, on_delete=models.PROTECT, related_name="attributes")
    link_type = models.CharField(max_length=100, blank=True)

    history = HistoricalRecords()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["service", "taxonomy_term"], name="attribute_service_term_unique")]


class Signposting(models.Model):
    """Someone was pointed to a directory service, or no service fitted their need (unmet need).

    Recorded against a referral (from its page or its triage decision) or a contact (the front
    desk's "just to talk" and signposted calls); the version of the contact it was recorded on.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    service = models.ForeignKey(Service, on_delete=models.PROTECT, null=True, blank=True, related_name="signpostings")
    need = models.CharField(max_length=200, help_text="The need in the caller's words or a directory category.")
    unmet_need = models.BooleanField(default=False)
    note = note_field(blank=True)
    referral = models.ForeignKey(
        "referrals.Referral", on_delete=models.PROTECT, null=True, blank=True, related_name="signpostings"
    )
    contact = models.ForeignKey(
        "referrals.Contact", on_delete=models.PROTECT, null=True, blank=True, related_name="signpostings"
    )
    signposted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    signposted_at = models.DateTimeField(db_index=True)
    # One click makes one record, however often the form is sent.
    idempotency_key = models.CharField(max_length=64, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-signposted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["idempotency_key"], condition=~models.Q(idempotency_key=""), name="signposting_key_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(unmet_need=True, service__isnull=True) | models.Q(unmet_need=False, service__isnull=False),
                name="signposting_service_or_unmet_need",
                violation_error_message="Choose a service, or record an unmet need: not both",
            ),
        ]

    def __str__(self) -> str:
        return f"Unmet need: {self.need}" if self.unmet_need else f"Signposted to {self.service}"
