"""The places and settings of Transfer of Care: the discharge pathways, the wards and their daily
bed occupancy, the pathway services with their capacity, and the local targets."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords


class Pathway(models.IntegerChoices):
    """National discharge pathways (Hospital discharge and community support guidance, 2024, Annex B)."""

    SIMPLE = 0, "Pathway 0: home, no new support"
    HOME_WITH_SUPPORT = 1, "Pathway 1: home with support (IRR, up to six weeks)"
    INTERMEDIATE_CARE_BED = 2, "Pathway 2: intermediate-care bed with rehabilitation"
    DISCHARGE_TO_ASSESS = 3, "Pathway 3: discharge to assess with nursing needs"


# Pathways whose services hold capacity (beds, slots or hours) that can be reserved.
PATHWAYS_WITH_CAPACITY = (Pathway.HOME_WITH_SUPPORT, Pathway.INTERMEDIATE_CARE_BED, Pathway.DISCHARGE_TO_ASSESS)


class Ward(models.Model):
    """An acute-trust ward. A model of its own (not a ccc.Team): a ward is a place with beds
    and daily occupancy figures imported by its code, not a group of staff with logins."""

    code = models.SlugField(max_length=30, unique=True, help_text="As in the trust's bed-occupancy files.")
    name = models.CharField(max_length=200)
    organisation = models.ForeignKey("ccc.Organisation", on_delete=models.PROTECT, related_name="wards")
    is_active = models.BooleanField(default=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class TransferOfCareSettings(models.Model):
    """Local targets an administrator edits (one row)."""

    plan_target_hours = models.PositiveIntegerField(
        default=24, help_text="How long after being declared medically fit a patient should have a discharge plan (pathway)."
    )
    delayed_transfer_target_percent = models.DecimalField(
        max_digits=4, decimal_places=1, default=Decimal("3.5"),
        help_text="Delayed bed days as a percentage of occupied bed days should be no more than this.",
    )
    # Pathway 1 discharges are handed to this team as IRR episodes (early supported discharge).
    irr_team = models.ForeignKey(
        "ccc.Team", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name="IRR team for pathway 1",
        help_text="Patients discharged on pathway 1 get an IRR episode with this team. "
        "Until one is set, pathway 1 discharges are refused.",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "Transfer of Care settings"

    def __str__(self) -> str:
        return "Transfer of Care settings"

    @classmethod
    def current(cls) -> "TransferOfCareSettings":
        return cls.objects.order_by("pk").first() or cls()


class PathwayService(models.Model):
    """A service with capacity for one pathway: 52 intermediate-care beds, D2A beds, home-care slots."""

    class Unit(models.TextChoices):
        BED = "bed", "Beds"
        SLOT = "slot", "Care slots"

    name = models.CharField(max_length=200, unique=True)
    pathway = models.IntegerField(choices=[(p.value, p.label) for p in PATHWAYS_WITH_CAPACITY])
    unit = models.CharField(max_length=10, choices=Unit.choices, default=Unit.BED)
    capacity = models.PositiveIntegerField(help_text="Beds or slots commissioned.")
    occupied_by_others = models.PositiveIntegerField(
        default=0, help_text="Taken today by people not on this register (e.g. step-up admissions from the community)."
    )
    is_active = models.BooleanField(default=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["pathway", "name"]

    def __str__(self) -> str:
        return self.name



class BedOccupancy(models.Model):
    """Occupied beds on a ward at midnight of a day, from the trust's figures."""

    ward = models.ForeignKey(Ward, on_delete=models.PROTECT, related_name="occupancy")
    date = models.DateField()
    occupied_beds = models.PositiveIntegerField(validators=[MinValueValidator(0)])
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    history = HistoricalRecords()

    class Meta:
        ordering = ["date", "ward"]
        verbose_name_plural = "bed occupancy"
        constraints = [models.UniqueConstraint(fields=["ward", "date"], name="toc_occupancy_ward_day_unique")]
