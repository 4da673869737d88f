"""The Transfer of Care pages: the board and its filters, registering, delays, occupancy upload."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from discharge import services
from discharge.models import BedOccupancy, RegisterEntry
from tests import factories


def board_names(client, **filters) -> list[str]:
    response = client.get(reverse("discharge:board"), filters)
    return [entry.patient.family_name for entry in response.context["entries"]]


@pytest.fixture
def three_patients(toc_nurse, ward):
    other_ward = factories.ward(code="ward-9", organisation=ward.organisation)
    waiting = factories.register_entry(
        actor=toc_nurse, ward_=ward, patient_=factories.patient(family_name="Waiting"), owner=toc_nurse
    )
    services.delay_record(
        entry=waiting, actor=toc_nurse, reason=factories.delay_reason(), attribution="nhs", starts_on=waiting.fit_on
    )
    planned = factories.register_entry(actor=toc_nurse, ward_=other_ward, patient_=factories.patient(family_name="Planned"))
    services.pathway_set(entry=planned, actor=toc_nurse, pathway=2)
    factories.register_entry(actor=toc_nurse, ward_=ward, patient_=factories.patient(family_name="Unplanned"), fit_on=None)
    return ward, other_ward


def test_the_board_filters_by_ward_pathway_owner_and_workable(client, toc_nurse, three_patients):
    ward, other_ward = three_patients
    client.force_login(toc_nurse)

    assert board_names(client) == ["Waiting", "Planned", "Unplanned"]
    assert board_names(client, ward=other_ward.pk) == ["Planned"]
    assert board_names(client, pathway="2") == ["Planned"]
    assert board_names(client, pathway="none") == ["Waiting", "Unplanned"]
    assert board_names(client, owner=toc_nurse.pk) == ["Waiting"]
    assert board_names(client, workable="waiting") == ["Waiting"]
    assert board_names(client, workable="yes") == ["Planned", "Unplanned"]


def test_the_board_costs_the_same_queries_for_one_patient_or_many(client, toc_nurse, ward, django_assert_num_queries):
    client.force_login(toc_nurse)
    for _ in range(6):
        entry = factories.register_entry(actor=toc_nurse, ward_=ward, owner=toc_nurse)
        services.delay_record(
            entry=entry, actor=toc_nurse, reason=factories.delay_reason(), attribution="nhs", starts_on=entry.fit_on
        )
    # session, user, filter form's ward and owner choices, entries, stranded counts, the header's unread
    # notifications
    with django_assert_num_queries(7):
        response = client.get(reverse("discharge:board"))
    assert len(response.context["entries"]) == 6
    assert response.content.decode().count("Patient or family choice") == 6


def test_the_stranded_list_costs_a_fixed_number_of_queries(client, toc_nurse, ward, django_assert_num_queries):
    client.force_login(toc_nurse)
    today = timezone.localdate()
    for days in (8, 22, 30):
        factories.register_entry(actor=toc_nurse, ward_=ward, admitted_on=today - timedelta(days=days))
    factories.register_entry(actor=toc_nurse, ward_=ward, admitted_on=today - timedelta(days=3), fit_on=None)
    # ... and the header's unread notifications
    with django_assert_num_queries(5):
        response = client.get(reverse("discharge:stranded"))
    assert len(response.context["entries"]) == 3
    assert response.context["counts"] == {"stranded": 3, "super_stranded": 2}


def test_registering_a_new_patient_from_the_form_and_a_double_submit_makes_one(client, toc_nurse, ward):
    client.force_login(toc_nurse)
    today = timezone.localdate()
    form = client.get(reverse("discharge:entry_register")).context["form"]
    data = {
        "submission_key": form.initial["submission_key"],
        "nhs_number": "999 000 0026",
        "given_name": "Edith",
        "family_name": "Crawley",
        "date_of_birth": "2 5 1938",
        "ward": ward.pk,
        "admitted_on": (today - timedelta(days=9)).strftime("%d %m %Y"),
        "consultant": "Dr Evans",
        "source": "in_reach",
        "referred_on": (today - timedelta(days=5)).strftime("%d %m %Y"),
        "fit_on": (today - timedelta(days=2)).strftime("%d %m %Y"),
    }

    first = client.post(reverse("discharge:entry_register"), data)
    second = client.post(reverse("discharge:entry_register"), data)

    entry = RegisterEntry.objects.get()
    assert first.url == second.url == reverse("discharge:entry_detail", args=[entry.public_id])
    assert entry.patient.nhs_number == "9990000026" and entry.source == "in_reach"


def test_a_wrong_register_form_keeps_what_was_typed(client, toc_nurse, ward):
    client.force_login(toc_nurse)
    today = timezone.localdate()

    response = client.post(
        reverse("discharge:entry_register"),
        {
            "submission_key": "abc", "given_name": "Edith", "family_name": "Crawley", "date_of_birth": "2 5 1938",
            "ward": ward.pk, "admitted_on": today.strftime("%d %m %Y"), "consultant": "Dr Evans", "source": "ward",
            "referred_on": today.strftime("%d %m %Y"), "fit_on": (today - timedelta(days=1)).strftime("%d %m %Y"),
        },
    )

    assert response.status_code == 200
    assert "cannot be before admission" in response.content.decode()
    assert 'value="Crawley"' in response.content.decode()
    assert not RegisterEntry.objects.exists()


def test_a_patient_choice_delay_recorded_on_the_patients_page_shows_on_the_board(client, toc_nurse, entry):
    client.force_login(toc_nurse)

    response = client.post(
        reverse("discharge:entry_delay", args=[entry.public_id]),
        {"reason": factories.delay_reason("G").pk, "attribution": "nhs", "starts_on": entry.fit_on.strftime("%d %m %Y")},
    )

    assert response.status_code == 302
    assert "Patient or family choice" in client.get(reverse("discharge:board")).content.decode()


def test_a_refused_change_of_pathway_keeps_the_form_and_says_why(client, toc_nurse, entry):
    services.pathway_set(entry=entry, actor=toc_nurse, pathway=1)
    client.force_login(toc_nurse)

    response = client.post(reverse("discharge:entry_pathway", args=[entry.public_id]), {"pathway": "2", "reason": ""})

    assert response.status_code == 400
    assert "Enter the reason for changing the pathway" in response.content.decode()


def test_a_csv_with_a_bad_line_shows_each_problem_and_loads_nothing(client, toc_nurse, ward):
    client.force_login(toc_nurse)
    upload = SimpleUploadedFile("beds.csv", b"ward,date,occupied_beds\nward-7,2025-10-01,20\nnowhere,2025-10-02,3\n")

    response = client.post(reverse("discharge:occupancy"), {"upload": "1", "file": upload})

    assert "Line 3: unknown ward “nowhere”" in response.content.decode()
    assert not BedOccupancy.objects.exists()


def test_the_monthly_figures_page_shows_the_rate_against_the_target(client, manager, toc_nurse, ward):
    for day in range(1, 31):
        services.occupancy_record(ward=ward, on=timezone.datetime(2025, 9, day).date(), occupied_beds=10, actor=toc_nurse)
    client.force_login(manager)

    response = client.get(reverse("discharge:figures"), {"month": "2025-09"})

    assert response.context["figures"].occupied_bed_days == 300
    assert "0.00% against a target of 3.5%" in response.content.decode()


def test_the_patients_page_has_no_two_elements_with_one_id(client, toc_nurse, entry):
    import re
    from collections import Counter

    services.pathway_set(entry=entry, actor=toc_nurse, pathway=2)
    client.force_login(toc_nurse)

    html = client.get(reverse("discharge:entry_detail", args=[entry.public_id])).content.decode()

    repeated = [name for name, count in Counter(re.findall(r'\sid="([^"]+)"', html)).items() if count > 1]
    assert repeated == []


def test_capacity_and_figures_pages_cost_a_fixed_number_of_queries(client, manager, toc_nurse, ward, django_assert_num_queries):
    for n in range(3):
        service = factories.pathway_service(name=f"Beds {n}", pathway=2, capacity=5)
        entry = factories.register_entry(actor=toc_nurse, ward_=ward)
        services.pathway_set(entry=entry, actor=toc_nurse, pathway=2)
        services.booking_reserve(entry=entry, service=service, actor=toc_nurse)
    client.force_login(manager)

    # session, user, services with their counts, waiting by pathway, free by pathway, unread notifications
    with django_assert_num_queries(6):
        client.get(reverse("discharge:capacity"))
    # session, user, the month's entries for the discharge ready date figures, delayed days total, by
    # attribution, by reason, occupied bed days, settings, by ward, unread notifications
    with django_assert_num_queries(10):
        client.get(reverse("discharge:figures"), {"month": "2025-10"})


def test_discharging_from_the_patients_page_records_what_is_owed(client, toc_nurse, entry, irr_for_pathway_1):
    services.pathway_set(entry=entry, actor=toc_nurse, pathway=1)
    client.force_login(toc_nurse)

    response = client.post(
        reverse("discharge:entry_discharge", args=[entry.public_id]),
        {"discharged_on": timezone.localdate().strftime("%d %m %Y"), "destination": "Home", "pathway_used": "1",
         "readmission_risk": "high"},
    )

    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.status == "discharged" and entry.irr_handover_needed and entry.follow_up_calls_needed
    assert client.get(reverse("discharge:board")).context["entries"] == []


def test_a_refused_one_click_action_says_why_on_the_patients_page(client, toc_nurse, entry):
    delay = services.delay_record(
        entry=entry, actor=toc_nurse, reason=factories.delay_reason(), attribution="social_care", starts_on=entry.fit_on
    )
    client.force_login(toc_nurse)

    response = client.post(reverse("discharge:delay_sign_off", args=[delay.public_id]), {"partner": "acute"}, follow=True)

    assert "is not signed off by acute" in response.content.decode()
    assert not delay.sign_offs.exists()


def test_ending_a_delay_from_the_page_says_so(client, toc_nurse, entry):
    delay = services.delay_record(
        entry=entry, actor=toc_nurse, reason=factories.delay_reason(), attribution="nhs", starts_on=entry.fit_on
    )
    client.force_login(toc_nurse)

    today = timezone.localdate()
    response = client.post(
        reverse("discharge:delay_end", args=[delay.public_id]), {"ends_on": f"{today:%d %m %Y}"}, follow=True
    )

    assert f"Delay ended on {today:%-d %B %Y}" in response.content.decode()
    delay.refresh_from_db()
    assert delay.ends_on == today


def test_a_delay_can_end_on_a_past_day_while_the_patient_stays(client, toc_nurse, entry):
    delay = services.delay_record(
        entry=entry, actor=toc_nurse, reason=factories.delay_reason(), attribution="nhs", starts_on=entry.fit_on
    )
    client.force_login(toc_nurse)
    yesterday = timezone.localdate() - timedelta(days=1)

    today = timezone.localdate()
    page = client.get(reverse("discharge:entry_detail", args=[entry.public_id])).content.decode()
    assert f'name="ends_on_day" value="{today.day}"' in page and f'name="ends_on_year" value="{today.year}"' in page

    client.post(
        reverse("discharge:delay_end", args=[delay.public_id]),
        {"ends_on_day": yesterday.day, "ends_on_month": yesterday.month, "ends_on_year": yesterday.year},
    )

    delay.refresh_from_db()
    entry.refresh_from_db()
    assert delay.ends_on == yesterday
    assert entry.status == "open"


@pytest.mark.parametrize(
    ("days_from_start", "message"), [(-1, "cannot end before it starts"), (None, "must be today or in the past")]
)
def test_a_delay_end_before_its_start_or_in_the_future_is_refused_and_the_delay_stays_open(
    client, toc_nurse, entry, days_from_start, message
):
    delay = services.delay_record(
        entry=entry, actor=toc_nurse, reason=factories.delay_reason(), attribution="nhs", starts_on=entry.fit_on
    )
    client.force_login(toc_nurse)
    if days_from_start is None:
        ends_on = timezone.localdate() + timedelta(days=1)
    else:
        ends_on = entry.fit_on + timedelta(days=days_from_start)

    response = client.post(
        reverse("discharge:delay_end", args=[delay.public_id]), {"ends_on": f"{ends_on:%d %m %Y}"}, follow=True
    )

    assert message in response.content.decode()
    delay.refresh_from_db()
    assert delay.ends_on is None


def test_a_file_that_is_not_utf8_is_refused_on_the_file_field(client, toc_nurse, ward):
    client.force_login(toc_nurse)
    upload = SimpleUploadedFile("beds.csv", "ward,date,occupied_beds\nward-7,2025-10-01,20\n".encode("utf-16"))

    response = client.post(reverse("discharge:occupancy"), {"upload": "1", "file": upload})

    assert response.context["upload"].errors["file"] == ["The file is not a UTF-8 CSV file"]
    assert not BedOccupancy.objects.exists()


def test_managers_see_the_board_without_the_work_buttons(client, manager, entry):
    client.force_login(manager)

    board = client.get(reverse("discharge:board")).content.decode()
    detail = client.get(reverse("discharge:entry_detail", args=[entry.public_id])).content.decode()

    assert entry.patient.full_name in board
    assert "Register a patient" not in board
    assert "Record delay" not in detail and "Save pathway" not in detail


def _main_text(response) -> str:
    """What a person reads on the page: the main content without tags or attribute values."""
    import re

    main = response.content.decode().split('id="maincontent"', 1)[1].split("</main>", 1)[0]
    return re.sub(r"<[^>]*>", " ", main.split(">", 1)[1])


def test_the_figures_page_names_attributions_and_reasons_in_words_never_codes(client, manager, toc_nurse, ward):
    import re

    from discharge.models import Attribution, DelayReason

    month = timezone.localdate().replace(day=1) - timedelta(days=1)
    for attribution, (code_set, code) in zip(
        Attribution.values, [("ddc", "chc"), ("dtoc", "DII"), ("ddc", "pathway-2")], strict=True
    ):
        entry = factories.register_entry(actor=toc_nurse, ward_=ward, admitted_on=month.replace(day=1),
                                         fit_on=month.replace(day=1))
        services.delay_record(entry=entry, actor=toc_nurse, reason=factories.delay_reason(code, code_set),
                              attribution=attribution, starts_on=month.replace(day=2))
    client.force_login(manager)

    text = _main_text(client.get(reverse("discharge:figures"), {"month": f"{month:%Y-%m}"}))

    codes = {*Attribution.values, *DelayReason.CodeSet.values, "chc", "DII", "pathway-2"}
    assert not [code for code in codes if re.search(rf"(?<![\w-]){re.escape(code)}(?![\w-])", text)]
    for words in ("NHS:", "Social care:", "Both:", "Awaiting Continuing Healthcare decision (Discharge data collection"):
        assert words in text


def test_the_board_shows_the_discharge_ready_date_days_since_and_the_expected_discharge(client, toc_nurse, entry):
    today = timezone.localdate()
    services.residence_review_record(entry=entry, actor=toc_nurse, reviewed_on=today, meets_criteria=False,
                                     not_met_since=today - timedelta(days=3))
    services.discharge_dates_set(entry=entry, actor=toc_nurse, discharge_ready_on=today - timedelta(days=3),
                                 expected_discharge_on=today + timedelta(days=1))
    client.force_login(toc_nurse)

    text = " ".join(_main_text(client.get(reverse("discharge:board"))).split())

    assert f"Discharge ready {today - timedelta(days=3):%-d %b} 3 days since" in text
    assert f"Expected discharge {today + timedelta(days=1):%-d %b}" in text


def test_a_review_without_since_when_shows_the_form_again_as_typed(client, toc_nurse, entry):
    client.force_login(toc_nurse)

    response = client.post(reverse("discharge:entry_review", args=[entry.public_id]),
                           {"reviewed_on": f"{timezone.localdate():%d %m %Y}", "meets_criteria": "no",
                            "note": "Awaiting package"})

    assert response.status_code == 400
    page = response.content.decode()
    assert "Give the day the patient stopped meeting the criteria to reside" in page
    assert "Awaiting package" in page
