"""One page of a list on a web page: 50 rows, links to the next and previous page, and no count.

Reading one row more than the page shows says whether there is a next page, so a page costs one
query however long the list grows (a COUNT over a million referrals would cost more than the page).
Pages with a second, shorter list beside the main one bound it with ``first_rows`` and say so.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest

PAGE_SIZE = 50
# Page numbers past this are read as the last one allowed: far beyond any list a person pages through.
MAX_PAGE = 2_000


@dataclass(frozen=True)
class ListPage:
    object_list: list
    number: int
    has_next: bool
    query: str  # the request's other parameters, for the links

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)

    def __getitem__(self, index):
        return self.object_list[index]

    def __eq__(self, other) -> bool:
        # Compared with a list, a page is its rows (what the page showed before it was paged).
        return self.object_list == other if isinstance(other, list) else super().__eq__(other)


def _page_number(raw: str | None) -> int:
    if raw and raw.isascii() and raw.isdigit():
        return min(max(int(raw), 1), MAX_PAGE)
    return 1


def list_page(request: HttpRequest, rows, *, size: int = PAGE_SIZE) -> ListPage:
    """The page of ``rows`` (a queryset in its order) that ``?page=`` asks for: one query."""
    number = _page_number(request.GET.get("page"))
    start = (number - 1) * size
    fetched = list(rows[start : start + size + 1])
    query = request.GET.copy()
    query.pop("page", None)
    return ListPage(object_list=fetched[:size], number=number, has_next=len(fetched) > size, query=query.urlencode())


@dataclass(frozen=True)
class FirstRows:
    """The first ``limit`` rows of a list, and whether more were left out (the page says "showing the first N")."""

    rows: list
    limit: int
    more: bool

    def __iter__(self):
        return iter(self.rows)

    def __getitem__(self, index):
        return self.rows[index]

    def __eq__(self, other) -> bool:
        return self.rows == other if isinstance(other, list) else super().__eq__(other)

    def __len__(self) -> int:
        return len(self.rows)

    def __bool__(self) -> bool:
        return bool(self.rows)


def first_rows(rows: Iterable[Any], *, limit: int = PAGE_SIZE) -> FirstRows:
    """At most ``limit`` of ``rows`` in one query, reading one more to know whether any were left out."""
    fetched = list(rows[: limit + 1])
    return FirstRows(rows=fetched[:limit], limit=limit, more=len(fetched) > limit)
