"""The Transfer of Care journey in a real browser: a TOC nurse registers an MFFD patient,
assigns pathway 2, reserves an intermediate-care bed and records a patient-choice delay."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from ccc.models import Organisation, User
from discharge.models import CapacityBooking, RegisterEntry
from tests import factories
from tests.e2e.conftest import fill_date, login

pytestmark = pytest.mark.e2e


def test_a_toc_nurse_registers_plans_reserves_and_records_a_delay(live_server, page):
    factories.delay_reasons_loaded()
    trust = factories.organisation(name="Northfield Acute Trust", kind=Organisation.Kind.ACUTE_TRUST)
    factories.ward(code="ward-7", name="Ward 7 (care of the elderly)", organisation=trust)
    factories.pathway_service(name="Intermediate care beds", pathway=2, capacity=52)
    nurse = factories.user(User.Role.TOC, first_name="Helen", last_name="McAllister", organisation=trust)
    today = timezone.localdate()

    login(page, live_server, nurse.username)
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Transfer of Care").click()
    page.get_by_role("link", name="Register a patient").first.click()

    page.get_by_label("NHS number (if known)").fill("999 000 0042")
    page.get_by_label("First name").fill("Edith")
    page.get_by_label("Last name").fill("Crawley")
    fill_date(page, "Date of birth", "2 5 1938")
    page.get_by_label("Ward", exact=True).select_option(label="Ward 7 (care of the elderly)")
    fill_date(page, "Admission date", (today - timedelta(days=9)).strftime("%d %m %Y"))
    page.get_by_label("Consultant").fill("Dr Evans")
    page.get_by_role("radio", name="Identified by ward in-reach").check()
    fill_date(page, "Date referred to the team", (today - timedelta(days=4)).strftime("%d %m %Y"))
    fill_date(page, "Date declared medically fit for discharge", (today - timedelta(days=2)).strftime("%d %m %Y"))
    page.get_by_role("button", name="Add to the register").click()

    expect(page.get_by_role("heading", name="Edith Crawley")).to_be_visible()
    plan = page.get_by_role("group", name="Pathway", exact=True)
    plan.get_by_role("radio", name="Pathway 2: intermediate-care bed with rehabilitation").check()
    page.get_by_role("button", name="Save pathway").click()
    expect(page.get_by_text("Pathway saved")).to_be_visible()

    page.get_by_label("Service").select_option(label="Intermediate care beds")
    page.get_by_role("button", name="Reserve").click()
    expect(page.get_by_text("Bed or slot reserved")).to_be_visible()

    page.get_by_label("Delay reason").select_option(label="G Patient or family choice")
    page.get_by_role("radio", name="NHS").check()
    page.get_by_label("Note").fill("Family want to visit the unit first")
    page.get_by_role("button", name="Record delay").click()
    expect(page.get_by_text("Delay recorded")).to_be_visible()

    page.get_by_role("link", name="Back to the board").click()
    row = page.locator("[data-patient='Edith Crawley']")
    expect(row).to_contain_text("Patient or family choice")
    expect(row).to_contain_text("Intermediate care beds (reserved)")
    expect(row).to_contain_text("Ward 7 (care of the elderly)")

    entry = RegisterEntry.objects.get(patient__nhs_number="9990000042")
    assert entry.pathway == 2 and entry.plan_set_at is not None
    assert CapacityBooking.objects.get(entry=entry).status == CapacityBooking.Status.RESERVED

    page.get_by_role("link", name="Capacity", exact=True).click()  # the Transfer of Care tab
    expect(page.get_by_test_id("capacity")).to_contain_text("Intermediate care beds")
    expect(page.get_by_test_id("capacity").get_by_role("row").nth(1)).to_contain_text("52")
