"""Rules about who the Care Co-ordination Centre can take referrals for."""

from datetime import date

from django.core.exceptions import ValidationError

ADULT_AGE = 18
# Nobody alive is older: a date before this is a typing error (1850 for 1950).
OLDEST_AGE = 120


def age_on(date_of_birth: date, day: date) -> int:
    before_birthday = (day.month, day.day) < (date_of_birth.month, date_of_birth.day)
    return day.year - date_of_birth.year - before_birthday


def check_date_of_birth(date_of_birth: date, today: date) -> None:
    if date_of_birth > today:
        raise ValidationError("Date of birth must be today or in the past", code="future_date_of_birth")
    if age_on(date_of_birth, today) > OLDEST_AGE:
        raise ValidationError(
            f"Date of birth {date_of_birth:%-d %B %Y} would make the person over {OLDEST_AGE}: check the year",
            code="too_old_date_of_birth",
        )
    check_adult(date_of_birth, today)


def check_adult(date_of_birth: date, day: date) -> None:
    age = age_on(date_of_birth, day)
    if age < ADULT_AGE:
        raise ValidationError(
            f"The person is {age} on the day of referral. This service is for adults aged 18 and over: "
            "refer children and young people to children's services",
            code="under_18",
        )
