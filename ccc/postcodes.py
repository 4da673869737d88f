"""UK postcodes: checked against the national format and stored as people write them ("LS1 4AP")."""

import re

from django.core.exceptions import ValidationError

# Outward code (area, district) then inward code (sector, unit), as the Royal Mail format allows.
_POSTCODE = re.compile(
    r"^(GIR0AA|[A-PR-UWYZ](?:[0-9]{1,2}|[A-HK-Y][0-9]{1,2}|[0-9][A-HJKPSTUW]|[A-HK-Y][0-9][ABEHMNPRV-Y])"
    r"[0-9][ABD-HJLNP-UW-Z]{2})$"
)


def normalise_postcode(value: str) -> str:
    """Upper case, no stray spaces, one space before the last three characters; '' for ''."""
    compact = "".join((value or "").split()).upper()
    return f"{compact[:-3]} {compact[-3:]}" if len(compact) > 3 else compact


def validate_postcode(value: str) -> None:
    compact = "".join((value or "").split()).upper()
    if len(compact) > 8 or not _POSTCODE.match(compact):
        raise ValidationError("Enter a full UK postcode, like LS1 4AP", code="postcode_invalid")
