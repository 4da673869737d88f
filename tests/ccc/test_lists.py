"""One page of a list on a web page (ccc.lists): 50 rows, next and previous, one read and no count."""

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory

from ccc.lists import MAX_PAGE, PAGE_SIZE, first_rows, list_page

ROWS = list(range(120))


def _page(query: str = ""):
    return list_page(RequestFactory().get("/referrals/" + query), ROWS)


def test_the_first_page_has_fifty_rows_and_a_next_page():
    page = _page()

    assert (page.object_list, page.number, page.has_next, page.has_previous) == (ROWS[:PAGE_SIZE], 1, True, False)


def test_the_last_page_has_what_is_left_and_no_next_page():
    page = _page("?page=3")

    assert (page.object_list, page.has_next, page.has_previous, page.previous_page_number) == (ROWS[100:], False, True, 2)


@pytest.mark.parametrize("asked, number", [("abc", 1), ("0", 1), ("-2", 1), ("99999999999999999999", MAX_PAGE)])
def test_a_page_number_that_is_not_one_is_read_as_the_nearest_that_is(asked, number):
    assert _page(f"?page={asked}").number == number


def test_the_links_keep_the_other_parameters_and_name_the_next_page():
    page = _page("?team=3&page=2")

    html = render_to_string("includes/pager.html", {"page": page})

    assert page.query == "team=3"
    assert 'href="?team=3&amp;page=3"' in html and 'href="?team=3&amp;page=1"' in html


def test_a_short_list_has_no_links_and_reads_as_its_rows():
    page = list_page(RequestFactory().get("/"), [1, 2])

    assert page == [1, 2] and len(page) == 2 and page[0] == 1
    assert "nhsuk-pagination" not in render_to_string("includes/pager.html", {"page": page})


def test_a_capped_side_list_says_it_shows_only_the_first_rows():
    capped, whole = first_rows(ROWS, limit=50), first_rows(ROWS[:3], limit=50)

    assert (len(capped), capped.more, whole.more, whole == [0, 1, 2]) == (50, True, False, True)
    notice = render_to_string("includes/first_rows.html", {"rows": capped, "noun": "locations"})
    assert "Showing the first 50 locations." in notice
    assert render_to_string("includes/first_rows.html", {"rows": whole, "noun": "locations"}).strip() == ""
