"""What people see: the unread count, their notifications, acknowledging, the managers' list."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from escalations.models import Escalation, Notification
from escalations.services import escalations_fire_due
from tests import factories


def overdue(falls, call_handler, minutes: int = 125):
    referral = factories.referral(need=falls, actor=call_handler,
                                  received_at=timezone.now() - timedelta(minutes=minutes))
    escalations_fire_due()
    return referral


@pytest.fixture
def clinician_client(client, clinician):
    client.force_login(clinician)
    return client


def test_the_header_counts_unread_notifications_and_opening_one_reads_it(
    clinician_client, physical_ladder, falls, call_handler
):
    overdue(falls, call_handler)
    overdue(falls, call_handler)
    page = clinician_client.get(reverse("escalations:notification_list"))
    assert page.context["unread_notifications"] == 2
    assert 'class="ccc-unread-count">2<' in page.content.decode()

    notification = Notification.objects.first()
    response = clinician_client.post(reverse("escalations:notification_open", args=[notification.public_id]))

    assert response.url == reverse("escalations:escalation_detail", args=[notification.escalation.public_id])
    assert clinician_client.get(response.url).context["unread_notifications"] == 1
    clinician_client.post(reverse("escalations:notification_read_all"))
    assert "ccc-unread-count" not in clinician_client.get(reverse("home"), follow=True).content.decode()


def test_people_with_nothing_escalated_see_no_count(client, call_handler):
    client.force_login(call_handler)

    response = client.get(reverse("home"), follow=True)

    assert response.context["unread_notifications"] == 0
    assert 'data-testid="notifications-link"' in response.content.decode()


def test_acknowledging_on_the_page_needs_a_note_and_shows_on_the_timeline(
    clinician_client, physical_ladder, falls, call_handler, clinician
):
    referral = overdue(falls, call_handler)
    escalation = Escalation.objects.get(rung=1)
    url = reverse("escalations:escalation_detail", args=[escalation.public_id])

    response = clinician_client.post(url, {"note": ""})
    assert response.status_code == 200
    assert "Enter acknowledgement note" in response.content.decode()

    response = clinician_client.post(url, {"note": "Phoning the daughter now"}, follow=True)
    assert "Acknowledged by" in response.content.decode()
    assert "Phoning the daughter now" in response.content.decode()
    assert referral.timeline.filter(kind="acknowledged", actor=clinician).count() == 1
    detail = clinician_client.get(reverse("referrals:referral_detail", args=[referral.public_id])).content.decode()
    assert "Escalated" in detail and "Escalation acknowledged" in detail


def test_the_managers_list_is_one_query_oldest_first(client, manager, physical_ladder, falls, call_handler,
                                                     django_assert_num_queries):
    client.force_login(manager)
    url = reverse("escalations:escalation_list")
    newest, oldest = overdue(falls, call_handler, 130), overdue(falls, call_handler, 400)
    client.get(url)

    # session, user, unread notifications (the header), the escalations with their clocks and queues,
    # the clocks that cannot fire
    with django_assert_num_queries(5):
        response = client.get(url)
    for _ in range(4):
        overdue(falls, call_handler, 200)
    with django_assert_num_queries(5):
        response = client.get(url)

    rows = response.context["escalations"]
    assert len(rows) == 6
    assert rows[0].clock.subject_id == oldest.pk and rows[-1].clock.subject_id == newest.pk


def test_the_notification_list_is_a_fixed_number_of_queries(clinician_client, physical_ladder, falls, call_handler,
                                                            django_assert_num_queries):
    url = reverse("escalations:notification_list")
    overdue(falls, call_handler)
    clinician_client.get(url)
    with django_assert_num_queries(4):
        clinician_client.get(url)
    for _ in range(4):
        overdue(falls, call_handler)
    with django_assert_num_queries(4):
        response = clinician_client.get(url)
    assert len(response.context["notifications"]) == 5
