"""What every app's demo data shares (``manage.py demo_data``): the idempotency-key prefix,
a find-or-make by natural key, and test-range NHS numbers. Imports no domain app."""

from typing import Any

import nhs_number
from django.db import models

from ccc.audit import save_as

DEMO_KEY_PREFIX = "demo-"
# Test-range NHS numbers (999 000 0000 to 999 999 9999 are never issued); start past the ones tests use.
NHS_NUMBER_START = 9_990_001_000


def get_or_create(model: type[models.Model], defaults: dict | None = None, **lookup: Any) -> tuple[Any, bool]:
    """Find by natural key, or make with full validation; never changes what an administrator has edited."""
    found = model.objects.filter(**lookup).first()
    if found is not None:
        return found, False
    made = model(**lookup, **(defaults or {}))
    save_as(made, None)
    return made, True


def test_range_nhs_numbers(count: int) -> list[str]:
    numbers = []
    candidate = NHS_NUMBER_START
    while len(numbers) < count:
        if nhs_number.is_valid(str(candidate)):
            numbers.append(str(candidate))
        candidate += 1
    return numbers
