"""The dashboard in a real browser: a manager opens it and sees the charts drawn with data."""

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from ccc.models import User
from tests import factories
from tests.e2e.conftest import login

pytestmark = pytest.mark.e2e


def test_a_manager_sees_this_weeks_charts_and_their_numbers(live_server, page):
    queue = factories.duty_queue(code="physical-health", name="Physical health duty queue")
    falls = factories.need(queue=queue, code="falls", name="Falls")
    handler = factories.user(User.Role.CALL_HANDLER)
    clinician = factories.user(User.Role.DUTY_CLINICIAN, queues=[queue])
    manager = factories.user(User.Role.MANAGER, first_name="David", last_name="Chen")
    # Both in this week (Monday 00:00 UK time to now), whenever the test runs.
    now = timezone.now()
    this_week = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    this_week -= timedelta(days=this_week.weekday())
    so_far = now - this_week
    factories.referral_at(need=falls, actor=handler, received_at=this_week + so_far / 2)
    factories.referral_at(
        need=falls,
        actor=handler,
        received_at=this_week + so_far / 3,
        triaged_by=clinician,
        minutes_to_triage=min(20, so_far.total_seconds() / 60 / 10),  # within the 120-minute target
        priority="urgent",
    )

    factories.contact(actor=handler, started_at=this_week + so_far / 2, outcome="just_to_talk")
    factories.register_entry(actor=handler)  # MFFD today, no plan yet

    login(page, live_server, manager.username)
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Dashboard").click()

    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()
    charts = page.get_by_role("img")
    for title in (
        "Referrals per day",
        "Referrals per hour of the week",
        "Referrals by duty queue",
        "Waiting for triage now",
        "Time to triage against target",
        "Contacts per day",
        "Contacts by outcome, including just to talk",
        "MFFD patients today by pathway",
    ):
        expect(charts.filter(has_text=title).first).to_be_visible()
    # Figures with nothing to draw say so, and keep their numbers and CSV.
    for slug, says in (
        ("escalations-live-now", "No escalations are live now."),
        ("irr-capacity-now", "No open IRR episodes now."),
        ("delayed-transfer-rate", "No occupancy recorded for this period"),
    ):
        figure = page.locator(f'[data-figure="{slug}"]')
        expect(figure.locator("svg")).to_have_count(0)
        expect(figure).to_contain_text(says)
        expect(figure.get_by_role("link", name="(CSV)")).to_be_visible()
    queue_chart = page.locator('[data-figure="referrals-by-queue"] svg')
    expect(queue_chart.locator("rect.ccc-chart__mark")).to_have_count(1)
    assert float(queue_chart.locator("rect.ccc-chart__mark").get_attribute("width")) > 0

    # The charts' descriptions name their highest value: data reached the system-wide charts.
    expect(page.locator('[data-figure="contacts-by-outcome"] svg desc')).to_contain_text("Highest: 1 (Just to talk)")
    expect(page.locator('[data-figure="mffd-today"] svg desc')).to_contain_text("Highest: 1 (No plan yet)")

    section = page.locator('[data-figure="time-to-triage"]')
    section.get_by_text("Time to triage against target: the numbers").click()
    row = section.get_by_role("row").filter(has_text="Urgent")
    expect(row).to_contain_text("Physical health duty queue")
    expect(row).to_contain_text("100.0")

    with page.expect_download() as download:
        page.locator('[data-figure="referrals-by-queue"]').get_by_role("link", name="(CSV)").click()
    content = open(download.value.path()).read()
    assert content.splitlines() == ["Duty queue,Referrals", "Physical health duty queue,2"]


ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def test_a_manager_lands_on_headline_figures_and_a_contents_list_on_a_desk_and_a_phone(live_server, page):
    queue = factories.duty_queue(code="physical-health", name="Physical health duty queue")
    falls = factories.need(queue=queue, code="falls", name="Falls")
    handler = factories.user(User.Role.CALL_HANDLER)
    manager = factories.user(User.Role.MANAGER)
    factories.referral(need=falls, actor=handler, received_at=timezone.now() - timedelta(minutes=1))
    factories.register_entry(actor=handler)

    login(page, live_server, manager.username)
    page.goto(f"{live_server.url}/dashboard/")

    headlines = page.get_by_role("region", name="Headline figures")
    for label in ("Referrals today", "Referrals this week", "Waiting for triage now", "Overdue for triage now",
                  "Escalations live", "Ready to go, still in hospital", "Beds and places free today"):
        expect(headlines.get_by_role("link").filter(has_text=label)).to_be_visible()
    expect(headlines.locator('[data-headline="Referrals today"] .ccc-headline__value')).to_have_text("1")
    expect(headlines.locator('[data-headline="Ready to go, still in hospital"] .ccc-headline__value')).to_have_text("1")

    contents = page.get_by_role("navigation", name="Contents")
    for section in ("Referrals", "Triage", "Escalations", "Front desk: contacts and signposting", "Transfer of Care"):
        expect(contents.get_by_role("link", name=section, exact=True)).to_be_visible()
    contents.get_by_role("link", name="Transfer of Care", exact=True).click()
    expect(page).to_have_url(re.compile("#section-transfer-of-care$"))
    expect(page.locator('[data-figure="delayed-transfer-rate"]')).to_contain_text(
        "No occupancy recorded for this period"
    )

    # On a wide desk the figures sit side by side; the page never scrolls sideways on a phone.
    page.set_viewport_size({"width": 1600, "height": 1000})
    first, second = (page.locator(f'[data-figure="{slug}"]').bounding_box()
                     for slug in ("referrals-per-day", "referrals-per-hour-of-week"))
    assert second["x"] > first["x"] + first["width"] - 1 and abs(second["y"] - first["y"]) < 1
    assert page.locator(".ccc-dashboard").bounding_box()["width"] > 1400
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "dashboard-1600.png", full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=ARTIFACTS / "dashboard-390.png", full_page=True)
