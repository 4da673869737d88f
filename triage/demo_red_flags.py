"""The demo's red-flag screens, one per need: questions an administrator edits as data."""

from ccc.demo import get_or_create

# Each need's red-flag screen (issue 13): need code, question, urgency on a yes. Local choice, kept
# as data an administrator edits; emergency means a risk to life, and the caller is told to dial 999.
RED_FLAGS = [
    ("falls", "Is the person unconscious, not breathing normally, or bleeding heavily?", "emergency"),
    ("falls", "Have they hit their head and are drowsy, or on blood thinners?", "emergency"),
    ("falls", "Are they still on the floor and cannot get up?", "very_urgent"),
    ("falls", "Is there new pain, swelling or a limb they cannot move?", "urgent"),
    ("urgent-community-response", "Chest pain, stroke signs (face, arms, speech) or struggling to breathe?", "emergency"),
    ("urgent-community-response", "New confusion, or a high temperature with shivering?", "very_urgent"),
    ("urgent-community-response", "Carer unable to cope and the person cannot be left today?", "very_urgent"),
    ("wound-care", "Is the wound bleeding heavily and not stopping with pressure?", "emergency"),
    ("wound-care", "Spreading redness, heat, or the person feels unwell with it?", "urgent"),
    ("mh-crisis", "Have they harmed themselves seriously, or taken an overdose?", "emergency"),
    ("mh-crisis", "Do they have a plan or the means to end their life?", "very_urgent"),
    ("mh-crisis", "Are they not sleeping or eating, or hearing voices that frighten them?", "urgent"),
    ("dementia-distress", "Is anyone in danger now from the person's distress?", "very_urgent"),
    ("behaviour-that-challenges", "Is anyone in danger now, or has someone been hurt?", "very_urgent"),
    ("care-package-breakdown", "Is the person without any care from today?", "urgent"),
]


def red_flags_load(needs: dict) -> None:
    from triage.models import RedFlagQuestion

    for position, (code, question, urgency) in enumerate(RED_FLAGS):
        get_or_create(RedFlagQuestion, need=needs[code], question=question, defaults={"urgency": urgency, "position": position})
