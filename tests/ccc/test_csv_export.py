"""The one CSV writer: text that a spreadsheet would run as a formula is written as text."""

import csv
import io
import re
from datetime import date
from pathlib import Path

import pytest

from ccc.csv_export import csv_cell, csv_stream, csv_writer
from reporting.joint import FIELDS, as_lines

ROOT = Path(__file__).resolve().parents[2]
# Not a spreadsheet: the data generators' bulk loader feeds PostgreSQL's COPY, which must get the values as they are.
NOT_SPREADSHEETS = {"ccc/csv_export.py", "ccc/bulk.py"}


@pytest.mark.parametrize("typed", ["=1+1", "+44 7700", "-2+3", "@SUM(A1)", "\t=1", "\r=1"])
def test_text_that_starts_like_a_formula_gains_a_leading_quote(typed):
    assert csv_cell(typed) == "'" + typed


@pytest.mark.parametrize("value", ["Falls", "", "a=b", " =1", 'Said "=no"', -3, 2.5, 0, None, date(2025, 6, 1)])
def test_other_values_and_negative_numbers_are_left_as_they_are(value):
    assert csv_cell(value) == value


def test_the_writer_neutralises_every_text_cell_and_keeps_numbers():
    out = io.StringIO()
    csv_writer(out).writerow(["=cmd|'/C calc'!A0", -3, "Northfield"])

    assert next(csv.reader(io.StringIO(out.getvalue()))) == ["'=cmd|'/C calc'!A0", "-3", "Northfield"]


def test_no_application_code_writes_csv_but_through_the_one_writer():
    offenders = []
    for path in ROOT.rglob("*.py"):
        relative = path.relative_to(ROOT).as_posix()
        if relative.split("/")[0] in {".venv", "node_modules", "tests"} or relative in NOT_SPREADSHEETS:
            continue
        if re.search(r"csv\.(writer|DictWriter)\(", path.read_text()):
            offenders.append(relative)
    assert offenders == [], "write CSV through ccc.csv_export.csv_writer"


def test_the_joint_data_set_keeps_numbers_as_numbers_and_neutralises_text():
    text_field, number_field = FIELDS[0], FIELDS[1]
    row = dict.fromkeys(FIELDS) | {text_field: "=1+1", number_field: -3}
    out = io.StringIO()
    csv_writer(out).writerows(as_lines([row]))

    line = list(csv.reader(io.StringIO(out.getvalue())))[1]
    assert line[:2] == ["'=1+1", "-3"]


def test_a_streamed_csv_writes_line_by_line_neutralised_and_tells_how_many_rows_left():
    told = []
    response = csv_stream(filename="x.csv", header=["Name"], rows=iter([["=cmd"], ["Ann"]]), on_done=told.append)

    assert response.streaming and response["Content-Disposition"] == 'attachment; filename="x.csv"'
    assert b"".join(response.streaming_content).decode().splitlines() == ["Name", "'=cmd", "Ann"]
    assert told == [2]


@pytest.mark.django_db  # closing a response ends the request, which checks the database connection
def test_a_download_stopped_part_way_still_tells_the_rows_that_left():
    told = []
    response = csv_stream(filename="x.csv", header=["n"], rows=([n] for n in range(100)), on_done=told.append)
    lines = iter(response.streaming_content)
    next(lines), next(lines), next(lines)

    response.close()

    assert told == [2]
