"""From the hospital's admission message to the discharge, in a real browser: the feed admits a
patient over MLLP, a TOC nurse registers her from the inpatient list and records that she no
longer meets the criteria to reside, and the feed's discharge message closes her register entry."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from discharge.models import RegisterEntry
from tests.discharge.test_hl7_feed import adt, listener, send  # noqa: F401 (listener is a fixture)
from tests.e2e.conftest import fill_date, login

pytestmark = pytest.mark.e2e


def test_admission_message_to_discharge(live_server, page, listener, toc_nurse, ward):  # noqa: F811
    today = timezone.localdate()
    admitted = today - timedelta(days=6)
    assert send(listener, adt("A01", "J1", admitted=f"{admitted:%Y%m%d}"))[0][0] == "AA"

    login(page, live_server, toc_nurse.username)
    page.goto(f"{live_server.url}/toc/inpatients/")
    page.get_by_role("link", name="Register Edith Crawley").click()

    expect(page.get_by_label("NHS number (if known)")).to_have_value("9990000026")
    assert page.get_by_role("group", name="Admission date").get_by_label("Year").input_value() != ""
    page.get_by_label("Consultant").fill("Dr Evans")
    page.get_by_role("radio", name="Referred by the ward").check()
    fill_date(page, "Date referred to the team", f"{today - timedelta(days=2):%d %m %Y}")
    page.get_by_role("button", name="Add to the register").click()
    expect(page.get_by_role("heading", name="Edith Crawley")).to_be_visible()

    review = page.locator("form", has=page.get_by_role("button", name="Record review"))
    review.get_by_role("radio", name="No, they no longer meet the criteria").check()
    fill_date(review, "If not, since when", f"{today - timedelta(days=1):%d %m %Y}")
    review.get_by_role("button", name="Record review").click()
    expect(page.get_by_text("Criteria to reside review recorded")).to_be_visible()
    expect(page.get_by_test_id("discharge-ready")).to_contain_text("1 day since")

    page.get_by_role("link", name="Back to the board").click()
    expect(page.locator("[data-patient='Edith Crawley']")).to_contain_text("1 day since")

    entry = RegisterEntry.objects.get(patient__nhs_number="9990000026")
    assert (entry.ward.code, entry.admitted_on) == ("ward-7", admitted)
    assert send(listener, adt("A03", "J2", admitted=f"{admitted:%Y%m%d}", discharged=f"{today:%Y%m%d}"))[0][0] == "AA"

    page.goto(f"{live_server.url}/toc/patients/{entry.public_id}/")
    expect(page.get_by_text("Discharged (hospital feed)")).to_be_visible()
    page.goto(f"{live_server.url}/toc/")
    expect(page.locator("[data-patient='Edith Crawley']")).to_have_count(0)
