"""NHS numbers: ten digits with a Modulus 11 check digit, shown 3 3 4."""

import nhs_number
from django.core.exceptions import ValidationError


def normalise_nhs_number(value: str) -> str:
    """Strip the spaces and dashes people type; the digits are what we store."""
    return "".join(ch for ch in value if ch not in " -")


def validate_nhs_number(value: str) -> None:
    digits = normalise_nhs_number(value)
    if not (digits.isdigit() and len(digits) == 10):
        raise ValidationError("Enter an NHS number with 10 digits, for example 943 476 5919", code="nhs_number_length")
    if not nhs_number.is_valid(digits):
        raise ValidationError(
            "Enter a valid NHS number: the check digit does not match. Check it with the caller",
            code="nhs_number_checksum",
        )


def format_nhs_number(value: str) -> str:
    if len(value) != 10:
        return value
    return f"{value[:3]} {value[3:6]} {value[6:]}"
