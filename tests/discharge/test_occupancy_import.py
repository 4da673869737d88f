"""Bed-occupancy figures, entered or imported from the trust's CSV: all rows or none."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from discharge import services
from discharge.models import BedOccupancy


def test_a_good_file_loads_every_row_and_a_second_load_updates_with_history(toc_nurse, ward):
    text = "ward,date,occupied_beds\nward-7,2025-10-01,24\nward-7,02/10/2025,25\n"

    result = services.occupancy_import(text=text, actor=toc_nurse)

    assert (result.created, result.updated) == (2, 0)
    assert list(BedOccupancy.objects.values_list("date", "occupied_beds")) == [
        (date(2025, 10, 1), 24), (date(2025, 10, 2), 25)
    ]

    result = services.occupancy_import(text="ward,date,occupied_beds\nward-7,2025-10-01,22\n", actor=toc_nurse)

    figure = BedOccupancy.objects.get(date=date(2025, 10, 1))
    assert (result.created, result.updated, figure.occupied_beds) == (0, 1, 22)
    assert [h.occupied_beds for h in figure.history.order_by("history_date")] == [24, 22]
    assert figure.history.latest().history_user == toc_nurse


def test_a_file_with_bad_rows_loads_nothing_and_names_each_bad_line(toc_nurse, ward):
    text = (
        "ward,date,occupied_beds\n"
        "ward-7,2025-10-01,24\n"
        "ward-99,2025-10-02,25\n"
        "ward-7,31/02/2025,-3\n"
        "ward-7,2025-10-01,20\n"
    )

    with pytest.raises(ValidationError) as error:
        services.occupancy_import(text=text, actor=toc_nurse)

    messages = error.value.messages
    assert messages[0] == "Line 3: unknown ward “ward-99”"
    assert messages[1].startswith("Line 4: date “31/02/2025” is not like")
    assert "occupied beds “-3” is not a whole number" in messages[1]
    assert messages[2] == "Line 5: ward-7 on 1 October 2025 appears twice"
    assert not BedOccupancy.objects.exists()


@pytest.mark.parametrize("text", ["", "beds,when\nward-7,2025-10-01\n", "ward,date,occupied_beds\n"])
def test_a_file_without_the_right_columns_or_rows_is_refused(toc_nurse, ward, text):
    with pytest.raises(ValidationError):
        services.occupancy_import(text=text, actor=toc_nurse)
    assert not BedOccupancy.objects.exists()


def test_entering_a_figure_again_corrects_it(toc_nurse, ward):
    services.occupancy_record(ward=ward, on=date(2025, 10, 1), occupied_beds=24, actor=toc_nurse)
    services.occupancy_record(ward=ward, on=date(2025, 10, 1), occupied_beds=23, actor=toc_nurse)
    assert BedOccupancy.objects.get().occupied_beds == 23
