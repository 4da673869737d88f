"""Bed occupancy: a ward's occupied beds each midnight, entered by hand or loaded from a CSV."""

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from ccc.audit import save_as
from ccc.models import User
from discharge.models import BedOccupancy, Ward


def occupancy_record(*, ward: Ward, on: date, occupied_beds: int, actor: User) -> BedOccupancy:
    """Enter (or correct) a ward's occupied beds for a day; corrections stay in history. The same
    rules as a loaded file: a day not yet over has no midnight count."""
    if on > timezone.localdate():
        raise ValidationError({"on": "The date cannot be in the future"})
    if occupied_beds < 0:
        raise ValidationError({"occupied_beds": "Occupied beds must be a whole number of 0 or more"})
    with transaction.atomic():
        figure = BedOccupancy.objects.select_for_update().filter(ward=ward, date=on).first()
        figure = figure or BedOccupancy(ward=ward, date=on)
        figure.occupied_beds = occupied_beds
        figure.recorded_by = actor
        save_as(figure, actor)
    return figure


@dataclass
class OccupancyImport:
    created: int
    updated: int


OCCUPANCY_COLUMNS = ["ward", "date", "occupied_beds"]
_DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]


def _parse_date(value: str) -> date | None:
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(value.strip(), fmt).date()
        except ValueError:
            continue
    return None


def occupancy_import(*, text: str, actor: User) -> OccupancyImport:
    """Load a CSV of ``ward,date,occupied_beds`` rows. Every row is checked first; if any is
    wrong nothing is loaded and the error lists each bad line."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    if [name.strip().lower() for name in (reader.fieldnames or [])] != OCCUPANCY_COLUMNS:
        raise ValidationError(f"The first line must be the column names: {','.join(OCCUPANCY_COLUMNS)}")
    wards = {ward.code: ward for ward in Ward.objects.all()}
    rows: dict[tuple[int, date], tuple[Ward, date, int]] = {}
    errors = []
    for line, row in enumerate(reader, start=2):
        code = (row.get("ward") or "").strip()
        ward = wards.get(code)
        on = _parse_date(row.get("date") or "")
        beds = (row.get("occupied_beds") or "").strip()
        problems = []
        if ward is None:
            problems.append(f"unknown ward “{code}”")
        if on is None:
            problems.append(f"date “{row.get('date') or ''}” is not like 2026-10-31 or 31/10/2026")
        elif on > timezone.localdate():
            problems.append("date is in the future")
        if not beds.isdigit():
            problems.append(f"occupied beds “{beds}” is not a whole number of 0 or more")
        if not problems and (ward.pk, on) in rows:
            problems.append(f"{code} on {on:%-d %B %Y} appears twice")
        if problems:
            errors.append(f"Line {line}: " + "; ".join(problems))
            continue
        rows[(ward.pk, on)] = (ward, on, int(beds))
    if errors:
        raise ValidationError(errors)
    if not rows:
        raise ValidationError("The file has no rows of figures")
    created = updated = 0
    with transaction.atomic():
        existing = {
            (figure.ward_id, figure.date): figure
            for figure in BedOccupancy.objects.select_for_update().filter(
                ward_id__in={key[0] for key in rows}, date__in={key[1] for key in rows}
            )
        }
        for key, (ward, on, beds) in rows.items():
            figure = existing.get(key)
            if figure is None:
                figure = BedOccupancy(ward=ward, date=on)
                created += 1
            elif figure.occupied_beds == beds:
                continue
            else:
                updated += 1
            figure.occupied_beds = beds
            figure.recorded_by = actor
            save_as(figure, actor)
    return OccupancyImport(created=created, updated=updated)
