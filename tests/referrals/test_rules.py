from datetime import date

import pytest
from django.core.exceptions import ValidationError

from referrals.rules import age_on, check_adult


@pytest.mark.parametrize(
    "born, day, age",
    [
        (date(2000, 3, 15), date(2018, 3, 14), 17),
        (date(2000, 3, 15), date(2018, 3, 15), 18),
        (date(2000, 2, 29), date(2018, 2, 28), 17),
        (date(2000, 2, 29), date(2018, 3, 1), 18),
    ],
)
def test_age_on_counts_birthdays(born, day, age):
    assert age_on(born, day) == age


def test_an_18th_birthday_is_adult():
    check_adult(date(2000, 3, 15), date(2018, 3, 15))


def test_the_day_before_is_not():
    with pytest.raises(ValidationError, match="children's services"):
        check_adult(date(2000, 3, 15), date(2018, 3, 14))
