"""Transfer of Care demo data, loaded by ``manage.py demo_data``. Idempotent: wards and services
by natural key, register entries by their idempotency key (``demo-toc-<n>``), occupancy figures
only where missing. Everything goes through the real services."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone

from ccc.audit import save_as
from ccc.models import Organisation, User
from discharge import services
from discharge.models import BedOccupancy, DelayReason, PathwayService, RegisterEntry, TransferOfCareSettings, Ward

KEY_PREFIX = "demo-toc-"

WARDS = [
    ("ward-5", "Ward 5 (acute medicine)"),
    ("ward-7", "Ward 7 (care of the elderly)"),
    ("ward-12", "Ward 12 (orthopaedics)"),
    ("ward-14", "Ward 14 (stroke)"),
]
# name, pathway, unit, capacity, occupied today by people not on the register.
SERVICES = [
    ("IRR home-care slots", 1, PathwayService.Unit.SLOT, 30, 24),
    ("Intermediate care beds", 2, PathwayService.Unit.BED, 52, 45),
    ("Discharge-to-assess community unit", 3, PathwayService.Unit.BED, 12, 11),
    ("Commissioned nursing-home beds", 3, PathwayService.Unit.BED, 8, 8),
]


@dataclass(frozen=True)
class Stay:
    given_name: str
    family_name: str
    age: int
    ward: str
    admitted_days_ago: int
    fit_days_ago: int | None
    pathway: int | None = None
    reserve: str = ""  # service name
    delay: tuple[str, str, str, int] | None = None  # code set, code, attribution, days ago
    discharged_days_ago: int | None = None
    next_action: str = ""


STAYS = [
    Stay("Edith", "Crawley", 87, "ward-7", 9, 3, 2, "Intermediate care beds", ("dtoc", "G", "nhs", 2),
         next_action="Family to visit the intermediate care unit"),
    Stay("Arthur", "Pemberton", 79, "ward-7", 25, 12, 3, "", ("ddc", "pathway-3", "both", 10),
         next_action="Chase nursing-home bed offer"),
    Stay("Mary", "Okonkwo", 82, "ward-5", 6, 1, 1, "IRR home-care slots", next_action="Confirm start of care package"),
    Stay("George", "Halloran", 74, "ward-12", 14, 5, 1, "", ("dtoc", "E", "social_care", 4),
         next_action="Social worker to source care package"),
    Stay("Doris", "Whitcombe", 91, "ward-14", 31, 18, 3, "", ("ddc", "chc", "nhs", 15),
         next_action="CHC checklist to panel"),
    Stay("Stanley", "Iqbal", 68, "ward-5", 4, 1, 0, next_action="Discharge summary and TTOs"),
    Stay("Winifred", "Osei", 84, "ward-7", 11, 6, 2, "", ("ddc", "pathway-2", "nhs", 5),
         next_action="Next free intermediate care bed"),
    Stay("Harold", "Jenkins", 77, "ward-12", 8, 2, None, next_action="MDT to agree pathway"),
    Stay("Irene", "Blackwood", 89, "ward-14", 23, 9, 2, "", ("dtoc", "I", "social_care", 7),
         next_action="Housing officer visit"),
    Stay("Kenneth", "Adeyemi", 72, "ward-5", 3, None, None, next_action="Await consultant review"),
    # Discharged during last month, so its delayed days are in last month's figures.
    Stay("Phyllis", "Marsh", 85, "ward-7", 45, 38, 2, "Intermediate care beds", ("dtoc", "G", "nhs", 36),
         discharged_days_ago=27),
    Stay("Leonard", "Fairbairn", 80, "ward-14", 50, 40, 1, "", ("dtoc", "E", "social_care", 39),
         discharged_days_ago=30),
]


def transfer_of_care_load(*, users: dict, acute: Organisation, nhs_numbers: list[str]) -> int:
    """The demo command's entry: the TOC settings' IRR team, then the wards and register. Returns
    the register entries made (0 when an earlier run made them)."""
    # Pathway 1 discharges are handed to the physical health IRR team (early supported discharge).
    toc_settings = TransferOfCareSettings.current()
    if toc_settings.irr_team is None:
        toc_settings.irr_team = users["clinician.physical"].team
        save_as(toc_settings, None)
    return load_demo(toc=users["toc"], social_worker=users["toc.socialcare"], acute=acute, nhs_numbers=nhs_numbers)


def load_demo(*, toc: User, social_worker: User, acute: Organisation, nhs_numbers: list[str]) -> int:
    """Wards, pathway services, a dozen register entries, last month's bed occupancy. Returns how many entries were made."""
    today = timezone.localdate()
    wards = {code: _ward(code, name, acute) for code, name in WARDS}
    for name, pathway, unit, capacity, others in SERVICES:
        if not PathwayService.objects.filter(name=name).exists():
            save_as(
                PathwayService(name=name, pathway=pathway, unit=unit, capacity=capacity, occupied_by_others=others),
                None,
            )
    made = 0
    for n, (stay, number) in enumerate(zip(STAYS, nhs_numbers, strict=False), start=1):
        if _stay(n, stay, number, wards, toc, social_worker, today):
            made += 1
    _last_month_occupancy(wards, toc, today)
    return made


def _ward(code: str, name: str, acute: Organisation) -> Ward:
    ward = Ward.objects.filter(code=code).first()
    if ward is None:
        ward = Ward(code=code, name=name, organisation=acute)
        save_as(ward, None)
    return ward


def _stay(n, stay: Stay, number, wards, toc, social_worker, today: date) -> bool:
    key = f"{KEY_PREFIX}{n}"
    if RegisterEntry.objects.filter(idempotency_key=key).exists():
        return False
    ago = lambda days: today - timedelta(days=days)  # noqa: E731
    born = today.replace(year=today.year - stay.age) - timedelta(days=40)
    entry, _ = services.entry_register(
        actor=toc,
        idempotency_key=key,
        nhs_number=number,
        given_name=stay.given_name,
        family_name=stay.family_name,
        date_of_birth=born,
        ward=wards[stay.ward],
        admitted_on=ago(stay.admitted_days_ago),
        consultant="Dr Evans" if n % 2 else "Dr Mensah",
        source="ward" if n % 3 else "in_reach",
        referred_on=ago(max(stay.admitted_days_ago - 2, 0)),
        fit_on=ago(stay.fit_days_ago) if stay.fit_days_ago is not None else None,
        owner=toc if n % 2 else social_worker,
        next_action=stay.next_action,
        next_action_due=today + timedelta(days=n % 3),
    )
    if stay.pathway is not None:
        services.pathway_set(entry=entry, actor=toc, pathway=stay.pathway)
    if stay.reserve:
        services.booking_reserve(entry=entry, service=PathwayService.objects.get(name=stay.reserve), actor=toc)
    if stay.delay:
        code_set, code, attribution, days = stay.delay
        delay = services.delay_record(
            entry=entry, actor=toc, reason=DelayReason.objects.get(code_set=code_set, code=code),
            attribution=attribution, starts_on=ago(days),
        )
        if attribution in ("social_care", "both"):
            services.delay_sign_off(delay=delay, actor=social_worker, partner="social_care")
        if attribution == "nhs":
            services.delay_sign_off(delay=delay, actor=toc, partner="acute")
    if stay.discharged_days_ago is not None:
        services.entry_discharge(
            entry=entry, actor=toc, discharged_on=ago(stay.discharged_days_ago), destination="Home",
            pathway_used=stay.pathway or 0, readmission_risk="high" if n % 2 else "medium",
        )
    return True


def _last_month_occupancy(wards: dict[str, Ward], toc: User, today: date) -> None:
    first = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    have = set(BedOccupancy.objects.filter(date__gte=first, date__lt=today.replace(day=1)).values_list("ward_id", "date"))
    day = first
    while day < today.replace(day=1):
        for i, ward in enumerate(wards.values()):
            if (ward.pk, day) not in have:
                # 24 to 28 beds occupied, varying by ward and day: entered as the occupancy page does.
                services.occupancy_record(ward=ward, on=day, occupied_beds=24 + (day.day + i) % 5, actor=toc)
        day += timedelta(days=1)
