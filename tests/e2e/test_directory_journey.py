"""The directory in a real browser: a call handler logs a "just to talk" contact from an isolated
older person, finds a befriending service in their postcode district and signposts the contact
to it; the contact page shows the signposting."""

from datetime import date

import pytest
from playwright.sync_api import expect

from ccc.models import User
from directory.models import Signposting
from referrals.models import Contact
from tests import factories
from tests.e2e.conftest import login

pytestmark = pytest.mark.e2e


def test_a_call_handler_signposts_an_isolated_older_persons_contact_to_befriending(live_server, page):
    handler = factories.user(User.Role.CALL_HANDLER, first_name="Sam", last_name="Caller")
    patient = factories.patient(given_name="Arthur", family_name="Pennington", date_of_birth=date(1934, 11, 2),
                                postcode="NF2 7DQ")
    befriending = factories.directory_term(name="Befriending and loneliness", code="befriending")
    factories.directory_service(
        name="Home visiting befriending", terms=[befriending], districts="NF1 NF2 NF3", minimum_age=65,
        description="A volunteer visits at home every week.", eligibility="Older people who are isolated or lonely",
        self_referral=True, referral_method="Phone the befriending coordinator", phone="01632 960002",
    )
    factories.directory_service(name="Befriending in another town", terms=[befriending], districts="ZZ1")
    factories.directory_service(name="Young people's befriending", terms=[befriending], districts="NF2", maximum_age=25)

    login(page, live_server, handler.username)
    page.goto(f"{live_server.url}/patients/{patient.public_id}/")
    page.get_by_role("link", name="Log a contact about Arthur").click()
    page.get_by_role("radio", name="Patient (self-referral)").check()
    page.get_by_label("Caller's name").fill("Arthur Pennington")
    page.get_by_label("Duration in minutes").fill("20")
    page.get_by_label("Reason for contact").fill("Lives alone, has not seen anyone for a fortnight")
    page.get_by_role("radio", name="Just to talk").check()
    page.get_by_role("button", name="Log contact").click()

    # The contact logged, the page offers the directory step.
    expect(page.get_by_role("heading", name="Arthur Pennington: Just to talk")).to_be_visible()
    expect(page.get_by_role("status").filter(has_text="Success")).to_contain_text("now signpost them to a directory service")
    contact = Contact.objects.get()
    page.get_by_role("link", name="Signpost to a directory service").click()

    expect(page.get_by_role("heading", name="Find a service")).to_be_visible()
    expect(page.get_by_test_id("signposting-for")).to_contain_text(f"contact {contact.reference} from Arthur Pennington")
    expect(page.get_by_label("Postcode or area")).to_have_value("NF2")
    expect(page.get_by_label("Category")).to_have_value(str(befriending.pk))
    page.get_by_label("Age", exact=True).fill("92")
    page.get_by_role("button", name="Search").click()

    expect(page.get_by_test_id("result-count")).to_have_text("1 service found")
    result = page.get_by_test_id("service-result")
    expect(result).to_contain_text("Home visiting befriending")
    expect(result).to_contain_text("Older people who are isolated or lonely")
    expect(result).to_contain_text("01632 960002")
    page.screenshot(path="/tmp/e2e-directory-search.png", full_page=True)
    result.get_by_role("button", name="Signpost to Home visiting befriending").click()

    expect(page.get_by_role("heading", name="Arthur Pennington: Just to talk")).to_be_visible()
    expect(page.get_by_role("status").filter(has_text="Success")).to_contain_text(
        f"Signposted contact {contact.reference} from Arthur Pennington to Home visiting befriending"
    )
    expect(page.get_by_test_id("signposted-to")).to_have_text("Home visiting befriending")
    expect(page.get_by_test_id("signpostings")).to_contain_text("Home visiting befriending")
    expect(page.get_by_test_id("signpostings")).to_contain_text("Sam Caller")
    expect(page.get_by_test_id("versions").get_by_role("listitem")).to_have_count(2)  # the original is kept
    signposting = Signposting.objects.get()
    assert (signposting.contact.amends, signposting.service.name, signposting.signposted_by) == (
        contact, "Home visiting befriending", handler
    )
