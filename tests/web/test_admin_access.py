"""The administration pages: administrators only (the permission matrix walks a changelist of each
app); an administrator sets up an escalation ladder."""

import pytest
from django.urls import reverse


@pytest.mark.parametrize(
    "model",
    ["triage_outofhoursperiod", "triage_outofhoursdate", "referrals_practicelocality",
     "referrals_communitynursingsettings", "referrals_followuppolicy"],
)
def test_only_administrators_edit_out_of_hours_localities_and_the_call_policy(client, administrator, manager, model):
    add = reverse(f"admin:{model}_add")

    client.force_login(administrator)
    assert client.get(reverse(f"admin:{model}_changelist")).status_code == 200
    assert client.get(add).status_code == 200

    client.force_login(manager)
    response = client.get(add, follow=True)
    assert response.status_code in (403, 404) or reverse("admin:login") in response.redirect_chain[-1][0]


def test_an_administrator_sets_up_a_ladder_with_named_people(client, administrator, physical_queue, manager):
    client.force_login(administrator)
    data = {
        "name": "Physical health escalation", "queue": physical_queue.pk, "warn_at_percent": 80,
        "rungs-TOTAL_FORMS": 2, "rungs-INITIAL_FORMS": 0, "rungs-MIN_NUM_FORMS": 1, "rungs-MAX_NUM_FORMS": 1000,
        "rungs-0-position": 1, "rungs-0-name": "Duty clinician", "rungs-0-minutes_after_previous": 0,
        "rungs-0-people": "queue_clinicians",
        "rungs-1-position": 2, "rungs-1-name": "Service manager", "rungs-1-minutes_after_previous": 30,
        "rungs-1-people": "named", "rungs-1-named_users": [manager.pk],
    }

    response = client.post(reverse("admin:escalations_escalationladder_add"), data)

    assert response.status_code == 302, response.context["errors"] if response.context else response
    from escalations.models import EscalationLadder

    ladder = EscalationLadder.objects.get(queue=physical_queue)
    assert ladder.warn_at_percent == 80
    assert [(r.name, list(r.named_users.all())) for r in ladder.rungs.all()] == [
        ("Duty clinician", []), ("Service manager", [manager])
    ]
    # A second ladder for the same queue is refused.
    data["name"] = "Another"
    response = client.post(reverse("admin:escalations_escalationladder_add"), data)
    assert response.status_code == 200 and EscalationLadder.objects.count() == 1
