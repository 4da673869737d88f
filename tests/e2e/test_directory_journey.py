"""The directory in a real browser: a call handler finds a befriending service for an isolated
older person and signposts the referral to it.

Signposting is against a referral for now; once the contact log lands it is re-pointed at a
contact ("signpost this contact")."""

from datetime import date

import pytest
from playwright.sync_api import expect

from ccc.models import User
from directory.models import Signposting
from tests import factories
from tests.e2e.conftest import login

pytestmark = pytest.mark.e2e


def test_a_call_handler_signposts_an_isolated_older_person_to_befriending(live_server, page):
    queue = factories.duty_queue(code="physical-health", name="Physical health duty queue")
    lonely = factories.need(queue=queue, code="just-to-talk", name="Just to talk (loneliness)", group="Wellbeing")
    handler = factories.user(User.Role.CALL_HANDLER, first_name="Sam", last_name="Caller")
    patient = factories.patient(given_name="Arthur", family_name="Pennington", date_of_birth=date(1934, 11, 2),
                                postcode="NF2 7DQ")
    referral = factories.referral(need=lonely, received_by=handler, patient_=patient,
                                  reason="Lives alone, has not seen anyone for a fortnight")
    befriending = factories.directory_term(name="Befriending and loneliness", code="befriending")
    factories.directory_service(
        name="Home visiting befriending", terms=[befriending], districts="NF1 NF2 NF3", minimum_age=65,
        description="A volunteer visits at home every week.", eligibility="Older people who are isolated or lonely",
        self_referral=True, referral_method="Phone the befriending coordinator", phone="01632 960002",
    )
    factories.directory_service(name="Befriending in another town", terms=[befriending], districts="ZZ1")
    factories.directory_service(name="Young people's befriending", terms=[befriending], districts="NF2", maximum_age=25)

    login(page, live_server, handler.username)
    page.goto(f"{live_server.url}/referrals/{referral.public_id}/")
    page.get_by_role("link", name="Signpost to a directory service").click()

    expect(page.get_by_role("heading", name="Find a service")).to_be_visible()
    expect(page.get_by_test_id("signposting-for")).to_contain_text(f"referral {referral.reference} for Arthur Pennington")
    expect(page.get_by_label("Postcode or area")).to_have_value("NF2")
    page.get_by_label("What does the person need?").fill("befriending")
    page.get_by_label("Postcode or area").fill("NF2 7DQ")
    page.get_by_label("Age", exact=True).fill("92")
    page.get_by_role("button", name="Search").click()

    expect(page.get_by_test_id("result-count")).to_have_text("1 service found")
    result = page.get_by_test_id("service-result")
    expect(result).to_contain_text("Home visiting befriending")
    expect(result).to_contain_text("Older people who are isolated or lonely")
    expect(result).to_contain_text("Phone the befriending coordinator")
    expect(result).to_contain_text("01632 960002")
    page.screenshot(path="/tmp/e2e-directory-search.png", full_page=True)
    result.get_by_role("button", name="Signpost to Home visiting befriending").click()

    expect(page.get_by_role("heading", name="Arthur Pennington: Just to talk (loneliness)")).to_be_visible()
    expect(page.get_by_role("status").filter(has_text="Success")).to_contain_text(
        f"Signposted referral {referral.reference} for Arthur Pennington to Home visiting befriending"
    )
    signposting = Signposting.objects.get()
    assert (signposting.referral, signposting.service.name, signposting.signposted_by) == (
        referral, "Home visiting befriending", handler
    )
