"""UK phone numbers: validated with Google's libphonenumber rules, stored in E.164 (+441134960000)."""

import phonenumbers
from django.core.exceptions import ValidationError

PHONE_HINT = "For example, 0113 496 0000 or +44 113 496 0000"


def normalise_phone(value: str) -> str:
    """The E.164 form of a UK (or +-prefixed international) number; '' for ''.

    Stored this way so the same caller matches however the number was typed.
    """
    value = (value or "").strip()
    if not value:
        return ""
    if len(value) > 30:
        raise ValidationError("Enter a phone number of 30 characters or fewer", code="phone_too_long")
    try:
        number = phonenumbers.parse(value, "GB")
    except phonenumbers.NumberParseException:
        raise ValidationError(f"Enter a phone number, like 0113 496 0000. {PHONE_HINT}", code="phone_invalid") from None
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(
            "Enter a valid phone number: check the number of digits and the area code with the caller",
            code="phone_invalid",
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def format_phone(value: str) -> str:
    """How people read a stored number: UK numbers in national form (0113 496 0000)."""
    if not value:
        return ""
    try:
        number = phonenumbers.parse(value, "GB")
    except phonenumbers.NumberParseException:
        return value
    if number.country_code == 44:
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
