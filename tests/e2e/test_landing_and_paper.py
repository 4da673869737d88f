"""In a real browser: each person lands on their work at `/`, a refused page says who may do it,
and a duty queue's paper copy prints its rows without the navigation."""

import re

import pytest
from playwright.sync_api import expect

from ccc.models import User
from tests import factories
from tests.e2e.conftest import login

pytestmark = pytest.mark.e2e


def test_a_call_handler_a_toc_nurse_and_a_directory_editor_each_land_on_their_work(live_server, new_page):
    handler = factories.user(User.Role.CALL_HANDLER)
    factories.contact(actor=handler, caller_name="Rosa Pending", outcome="referral_pending")
    toc = factories.user(User.Role.TOC)
    editor = factories.user(User.Role.DIRECTORY_EDITOR)
    factories.directory_service(name="Northfield Carers Café")  # never reviewed

    page = new_page()
    login(page, live_server, handler.username)
    expect(page.get_by_role("heading", name="Log a contact", level=1)).to_be_visible()
    expect(page.get_by_test_id("desk-pending")).to_contain_text("Rosa Pending")
    # A page their role does not open: the reason, inside the site's frame, and the way back.
    page.goto(f"{live_server.url}/queues/")
    expect(page.get_by_role("heading", name="You cannot do this")).to_be_visible()
    expect(page.get_by_test_id("who-may")).to_have_text("Only duty clinicians, team leads, managers and administrators can do this.")
    page.get_by_role("link", name="Go to your work").click()
    expect(page).to_have_url(re.compile(r"/contacts/new/$"))

    page = new_page()
    login(page, live_server, toc.username)
    expect(page.get_by_role("heading", name="Transfer of Care: daily board")).to_be_visible()

    page = new_page()
    login(page, live_server, editor.username)
    expect(page.get_by_role("heading", name="Services due for review")).to_be_visible()
    expect(page.get_by_test_id("services-due")).to_contain_text("Northfield Carers Café")


def test_a_duty_queues_paper_copy_prints_its_rows_without_the_navigation(live_server, page, physical_queue, falls):
    handler = factories.user(User.Role.CALL_HANDLER)
    clinician = factories.user(User.Role.DUTY_CLINICIAN, queues=[physical_queue], first_name="Dana", last_name="Duty")
    for family_name in ("Ashby", "Brook", "Carrow"):
        factories.referral(need=falls, actor=handler, patient_=factories.patient(family_name=family_name))

    login(page, live_server, clinician.username)
    expect(page.get_by_role("heading", name="Duty queues")).to_be_visible()  # where a clinician lands
    page.get_by_role("link", name=physical_queue.name).click()
    page.get_by_role("link", name="Paper copy of this queue").click()
    expect(page.get_by_test_id("paper-nav")).to_be_visible()

    page.emulate_media(media="print")

    expect(page.get_by_test_id("paper-nav")).to_be_hidden()
    rows = page.get_by_test_id("paper-rows").locator("tbody tr")
    expect(rows).to_have_count(3)
    for family_name in ("Ashby", "Brook", "Carrow"):
        expect(rows.filter(has_text=family_name)).to_be_visible()
    expect(page.get_by_test_id("printed-at")).to_contain_text("by Dana Duty")
