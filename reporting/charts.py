"""Charts drawn on the server as SVG: no JavaScript library, nothing from a CDN.

Each chart is an ``<svg role="img">`` named by its ``<title>`` and described by its ``<desc>``
(which states the largest value), and each mark carries its own ``<title>`` (a tooltip). The
page puts the figure's numbers in a table beside the chart, so nothing is only in the picture.
"""

from collections.abc import Sequence
from itertools import count

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

NHS_BLUE = "#005eb8"
TEXT = "#212b32"
GRID = "#d8dde0"
_ids = count(1)
# The average width of a 12-pixel Arial character, rounded up, to size a label column to its text.
CHAR_WIDTH = 7.0
LONGEST_LABEL = 48


def _number(value: float) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def _svg(title: str, description: str, width: int, height: int, body: list[str]) -> SafeString:
    n = next(_ids)
    return mark_safe(
        f'<svg class="ccc-chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="100%" role="img" aria-labelledby="chart-{n}-title chart-{n}-desc" '
        f'font-family="Frutiger W01, Arial, sans-serif" font-size="12" fill="{TEXT}">'
        f'<title id="chart-{n}-title">{escape(title)}</title><desc id="chart-{n}-desc">{escape(description)}</desc>'
        + "".join(body)
        + "</svg>"
    )


def _summary(description: str, labels: Sequence[str], values: Sequence[float | None], unit: str) -> str:
    known = [i for i, value in enumerate(values) if value is not None]
    if not known or max(values[i] for i in known) == 0:
        return f"{description} Nothing to show in this period."
    top = max(known, key=lambda i: values[i])
    return f"{description} Highest: {_number(values[top])}{unit} ({labels[top]})."


def columns(title: str, description: str, labels: Sequence[str], values: Sequence[float], unit: str = "") -> SafeString:
    """Vertical bars along time, a label under every few so they do not overlap."""
    peak = max(values, default=0) or 1
    # The axis's largest number must fit left of the plot.
    width, height, left, bottom, top = 640, 220, max(40, round(len(_number(peak)) * CHAR_WIDTH) + 12), 40, 16
    plot_w, plot_h = width - left - 8, height - bottom - top
    step = plot_w / max(len(values), 1)
    every = max(1, round(len(values) / 12))
    body = [
        f'<line x1="{left}" y1="{top + plot_h}" x2="{width - 8}" y2="{top + plot_h}" stroke="{GRID}"/>',
        f'<text x="{left - 6}" y="{top + 4}" text-anchor="end">{_number(peak)}</text>',
        f'<text x="{left - 6}" y="{top + plot_h}" text-anchor="end">0</text>',
    ]
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        bar_h = plot_h * value / peak
        x = left + i * step
        body.append(
            f'<rect class="ccc-chart__mark" x="{x + step * 0.1:.1f}" y="{top + plot_h - bar_h:.1f}" '
            f'width="{step * 0.8:.1f}" height="{bar_h:.1f}" fill="{NHS_BLUE}">'
            f"<title>{escape(label)}: {_number(value)}{escape(unit)}</title></rect>"
        )
        if i % every == 0:
            body.append(
                f'<text x="{x + step / 2:.1f}" y="{top + plot_h + 16}" text-anchor="middle">{escape(label)}</text>'
            )
    return _svg(title, _summary(description, labels, values, unit), width, height, body)


def _label_width(labels: Sequence[str]) -> int:
    """A label column as wide as the longest label (up to LONGEST_LABEL characters), so none is cut off."""
    longest = min(max((len(label) for label in labels), default=0), LONGEST_LABEL)
    return round(longest * CHAR_WIDTH) + 16


def _label(label: str, x: float, y: float) -> str:
    """A bar's label, ending at ``x``; a longer one is shortened with "…" and given whole in its tooltip."""
    if len(label) <= LONGEST_LABEL:
        return f'<text x="{x}" y="{y:.1f}" text-anchor="end">{escape(label)}</text>'
    short = label[: LONGEST_LABEL - 1] + "…"
    return f'<text x="{x}" y="{y:.1f}" text-anchor="end">{escape(short)}<title>{escape(label)}</title></text>'


def bars(
    title: str, description: str, labels: Sequence[str], values: Sequence[float | None], unit: str = ""
) -> SafeString:
    """Horizontal bars, one per category, the value written at the end of each; a value that could
    not be worked out (None: a rate with nothing to divide by) is written "no data", never drawn as 0."""
    label_w, plot_w, row_h, top = _label_width(labels), 380, 26, 8
    width = label_w + plot_w + 70
    height = top * 2 + row_h * max(len(values), 1)
    peak = max((value for value in values if value is not None), default=0) or 1
    body = []
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        y = top + i * row_h
        text_y = y + row_h / 2 + 4
        body.append(_label(label, label_w - 8, text_y))
        if value is None:
            body.append(f'<text x="{label_w + 6}" y="{text_y:.1f}" font-style="italic">no data</text>')
            continue
        bar_w = plot_w * value / peak
        body.append(
            f'<rect class="ccc-chart__mark" x="{label_w}" y="{y + 4}" width="{bar_w:.1f}" height="{row_h - 8}" '
            f'fill="{NHS_BLUE}"><title>{escape(label)}: {_number(value)}{escape(unit)}</title></rect>'
            f'<text x="{label_w + bar_w + 6:.1f}" y="{text_y:.1f}">{_number(value)}{escape(unit)}</text>'
        )
    if not values:
        body.append(f'<text x="{width / 2}" y="{height / 2 + 4}" text-anchor="middle">Nothing to show</text>')
    return _svg(title, _summary(description, labels, values, unit), width, height, body)


def heatmap(
    title: str, description: str, rows: Sequence[str], columns_: Sequence[str], values: Sequence[Sequence[float]]
) -> SafeString:
    """A grid (weekday by hour): the darker the cell, the more; each cell's number in its tooltip."""
    label_w, cell_w, cell_h, top = 80, 23, 22, 20
    width, height = label_w + cell_w * len(columns_) + 8, top + cell_h * len(rows) + 8
    flat = [value for row in values for value in row]
    peak = max(flat, default=0) or 1
    body = [
        f'<text x="{label_w + j * cell_w + cell_w / 2:.1f}" y="{top - 6}" text-anchor="middle" font-size="10">'
        f"{escape(column[:2])}</text>"
        for j, column in enumerate(columns_)
        if j % 3 == 0
    ]
    for i, row in enumerate(rows):
        y = top + i * cell_h
        body.append(f'<text x="{label_w - 6}" y="{y + cell_h / 2 + 4:.1f}" text-anchor="end">{escape(row)}</text>')
        for j, column in enumerate(columns_):
            value = values[i][j]
            body.append(
                f'<rect class="ccc-chart__mark" x="{label_w + j * cell_w}" y="{y}" width="{cell_w - 2}" '
                f'height="{cell_h - 2}" fill="{NHS_BLUE}" fill-opacity="{0.06 + 0.94 * value / peak:.2f}">'
                f"<title>{escape(row)} {escape(column)}: {_number(value)}</title></rect>"
            )
    labels = [f"{row} {column}" for row in rows for column in columns_]
    return _svg(title, _summary(description, labels, flat, ""), width, height, body)
