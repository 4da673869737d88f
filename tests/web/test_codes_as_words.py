"""Every page shows words, never a stored code: with the demo data loaded, each main page is read as
its user sees it and no snake_case choice value ("very_urgent", "refer_on") is in the visible text."""

import re
from html.parser import HTMLParser
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.urls import reverse

from tests.second_factor import Client


class VisibleText(HTMLParser):
    """The text a person reads: no markup, attributes, scripts or styles."""

    def __init__(self):
        super().__init__()
        self.parts, self.hidden = [], 0

    def handle_starttag(self, tag, attrs):
        self.hidden += tag in ("script", "style")

    def handle_endtag(self, tag):
        self.hidden -= tag in ("script", "style") and self.hidden > 0

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = VisibleText()
    parser.feed(html)
    return " ".join(parser.parts)


def snake_case_codes() -> set[str]:
    """Every stored choice value that is a code rather than a word."""
    codes = set()
    for model in apps.get_models():
        for field in model._meta.get_fields():
            for value, _label in getattr(field, "flatchoices", None) or []:
                if isinstance(value, str) and re.fullmatch(r"[a-z0-9]+(_[a-z0-9]+)+", value):
                    codes.add(value)
    return codes


def first(model_label: str, **filters):
    return apps.get_model(model_label).objects.filter(**filters).order_by("pk").first()


# Each user's pages, by name; a page about one record names its model and the id it takes.
PAGES = {
    "callhandler": [
        "referrals:contact_list", "referrals:contact_log", "referrals:referral_list",
        "referrals:call_back_list", "referrals:follow_up_work_list", "referrals:transport_list",
        "referrals:patient_create", ("referrals:referral_detail", "referrals.Referral", "referral_id"),
        ("referrals:patient_detail", "referrals.Patient", "patient_id"),
        ("referrals:contact_detail", "referrals.Contact", "contact_id"),
        ("referrals:transport_detail", "referrals.TransportBooking", "booking_id"),
        ("referrals:follow_up_call_detail", "referrals.FollowUpCall", "call_id"),
        ("referrals:call_back_detail", "referrals.CallBackRequest", "request_id"),
    ],
    "clinician.physical": ["triage:queue_list", "escalations:notification_list", ("triage:queue_detail", "physical-health")],
    "manager": [
        "escalations:escalation_list", "opel:system", "live_capacity", "irr:episode_list",
        ("irr:episode_detail", "irr.Episode", "episode_id"),
    ],
    "toc": [
        "discharge:board", "downtime:board_print", "discharge:stranded", "discharge:capacity", "discharge:inpatients", "discharge:figures",
        "discharge:feed_held", "discharge:entry_register",
        ("discharge:entry_detail", "discharge.RegisterEntry", "entry_id"),
    ],
    "directory": ["directory:search", "directory:review_list"],
    "referrer.gp": ["referrals:tracking_list", "referrals:referral_send"],
}


def page_kwargs(page) -> dict | None:
    """The URL's arguments; None when the demo has no such record."""
    if isinstance(page, str):
        return {}
    if len(page) == 2:
        return {"code": page[1]}
    record = first(page[1])
    return {page[2]: record.public_id} if record else None


@pytest.fixture
def demo(db, settings):
    settings.DEBUG = True  # the demo data loads only in development
    call_command("demo_data", password="demo-password-for-tests-42", stdout=StringIO(), stderr=StringIO())


def test_no_page_shows_a_stored_code_instead_of_words(demo):
    codes = snake_case_codes()
    assert {"very_urgent", "refer_on"} <= codes  # the guard reads the real choices
    users = apps.get_model("ccc.User").objects
    shown, missing = [], []
    for username, pages in PAGES.items():
        client = Client()
        client.force_login(users.get(username=username))
        for page in pages:
            name, kwargs = page if isinstance(page, str) else page[0], page_kwargs(page)
            if kwargs is None:
                missing.append(name)
                continue
            response = client.get(reverse(name, kwargs=kwargs))
            assert response.status_code == 200, (name, response.status_code)
            text = visible_text(response.content.decode())
            shown += [(name, code) for code in codes if re.search(rf"\b{code}\b", text)]
    assert shown == []
    assert len(missing) <= 2, missing


def test_the_guard_reads_codes_in_text_but_not_in_markup():
    text = visible_text('<p data-status="very_urgent">Very urgent</p><script>x = "refer_on"</script><p>refer_on</p>')
    assert "very_urgent" not in text and text.count("refer_on") == 1
