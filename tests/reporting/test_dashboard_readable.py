"""The dashboard reads at a glance: headline figures first, a contents list, figures with no data
saying so, and no bar label cut off."""

import re
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from reporting import charts
from reporting.figures import FIGURES_BY_SLUG
from tests import factories

MAY = {"period": "month", "date": "2025-05-10"}


def headline(html: str, label: str) -> int:
    found = re.search(rf'data-headline="{label}">.*?ccc-headline__value">(\d+)<', html, re.S)
    assert found, label
    return int(found.group(1))


def test_a_manager_opens_on_the_headline_figures_whatever_the_period(client, manager, falls, call_handler, entry):
    midnight = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)  # today and this week
    factories.referral(need=falls, actor=call_handler, received_at=midnight)
    factories.referral(need=falls, actor=call_handler, received_at=midnight - timedelta(days=400))
    client.force_login(manager)

    html = client.get(reverse("reporting:dashboard"), MAY).content.decode()

    assert html.index("Headline figures") < html.index('id="contents"') < html.index('id="section-referrals"')
    assert headline(html, "Referrals today") == 1
    assert headline(html, "Referrals this week") == 1
    assert headline(html, "Waiting for triage now") == 2
    assert headline(html, "Overdue for triage now") == 2  # both past the 2-hour target
    assert headline(html, "Escalations live") == 0
    assert headline(html, "Ready to go, still in hospital") == 1  # the register entry, MFFD today
    assert headline(html, "Beds and places free today") == 0


def test_a_team_lead_gets_no_system_wide_headlines(client, team_lead):
    client.force_login(team_lead)

    html = client.get(reverse("reporting:dashboard")).content.decode()

    assert 'data-headline="Referrals today"' in html
    assert "Ready to go, still in hospital" not in html and "Beds and places free today" not in html


def test_the_contents_list_links_every_section_and_figure_shown(client, manager):
    client.force_login(manager)

    response = client.get(reverse("reporting:dashboard"), MAY)

    html = response.content.decode()
    contents = html[html.index('id="contents"') : html.index("</nav>", html.index('id="contents"'))]
    for section, items in response.context["sections"]:
        assert f'href="#{section.anchor}"' in contents and f'id="{section.anchor}"' in html
        for shown in items:
            assert f'href="#figure-{shown.figure.slug}"' in contents
    assert sum(len(items) for _, items in response.context["sections"]) == len(response.context["figures"])


def test_a_month_without_occupancy_says_so_instead_of_drawing_a_zero_rate(client, manager):
    client.force_login(manager)

    response = client.get(reverse("reporting:dashboard"), MAY)

    [shown] = [item for item in response.context["figures"] if item.figure.slug == "delayed-transfer-rate"]
    assert shown.rows and all(row["rate_percent"] is None for row in shown.rows)
    assert shown.chart == ""
    section = response.content.decode().split('data-figure="delayed-transfer-rate"')[1].split("</section>")[0]
    assert "No occupancy recorded for this period" in section
    assert "0%" not in section and "(CSV)</a>" in section and "the numbers" in section


def test_a_rate_worked_out_for_one_month_and_not_another_shows_no_data_beside_the_bar():
    svg = charts.bars("Rate", "Delayed transfers.", ["2025-05 · All", "2025-06 · All"], [None, 0.0], "%")

    assert svg.count("ccc-chart__mark") == 1 and "no data" in svg and ">0%<" in svg
    figure = FIGURES_BY_SLUG["delayed-transfer-rate"]
    assert figure.has_data([{"rate_percent": 0.0}]) and not figure.has_data([{"rate_percent": None}])


def test_no_bar_label_is_cut_off_and_a_very_long_one_keeps_its_whole_text_in_a_tooltip():
    queue = "Mental health duty queue · Very urgent"
    long = "Northfield and district community mental health duty queue (out of hours)"

    svg = charts.bars("By queue", "Referrals.", [queue, long], [3, 4])

    label_column = int(re.search(r'<text x="(\d+)"[^>]*text-anchor="end">', svg).group(1)) + 8
    assert label_column >= len(queue) * charts.CHAR_WIDTH  # the longest shown label fits its column
    assert f">{queue}</text>" in svg
    assert f"<title>{long}</title>" in svg and long[: charts.LONGEST_LABEL - 1] + "…" in svg
