"""Load both national delay-reason lists (DOMAIN.md) and the one settings row."""

from django.db import migrations

# Older monthly delayed-transfer return (retired 2020): the national letter codes.
DTOC_2017 = [
    ("A", "Completion of assessment", False),
    ("B", "Public funding", False),
    ("C", "Further non-acute NHS care", False),
    ("DI", "Residential home placement", False),
    ("DII", "Nursing home placement", False),
    ("E", "Care package in own home", False),
    ("F", "Community equipment and adaptations", False),
    ("G", "Patient or family choice", True),
    ("H", "Disputes", False),
    ("I", "Housing", False),
    ("O", "Other", False),
]
# Discharge data collection (2023 on). DOMAIN.md gives the reasons, not their national codes:
# the codes here are our own short names.
DDC_2023 = [
    ("medical-decision", "Awaiting medical decision or discharge summary", False),
    ("therapy-decision", "Awaiting therapy decision", False),
    ("hub-referral", "Awaiting referral to the care transfer hub", False),
    ("medicines", "Awaiting medicines to take home", False),
    ("transport", "Awaiting transport", False),
    ("hub-confirmation", "Awaiting care transfer hub confirmation", False),
    ("pathway-1", "Waiting for pathway 1 care at home", False),
    ("pathway-2", "Waiting for a pathway 2 bed", False),
    ("pathway-3", "Waiting for a pathway 3 care-home bed", False),
    ("end-of-life", "Waiting for an end-of-life bed", False),
    ("equipment-housing", "Awaiting equipment or housing adaptations", False),
    ("disagrees", "Person or family disagrees with the plan", True),
    ("homeless", "Homeless or no recourse to public funds", False),
    ("safeguarding", "Safeguarding or Court of Protection", False),
    ("diagnostic", "Awaiting diagnostic test", False),
    ("infection-control", "Infection control", False),
    ("chc", "Awaiting Continuing Healthcare decision", False),
]


def load(apps, schema_editor):
    DelayReason = apps.get_model("discharge", "DelayReason")
    for code_set, reasons in (("dtoc", DTOC_2017), ("ddc", DDC_2023)):
        for code, name, choice in reasons:
            DelayReason.objects.get_or_create(
                code_set=code_set, code=code, defaults={"name": name, "is_patient_choice": choice}
            )
    Settings = apps.get_model("discharge", "TransferOfCareSettings")
    if not Settings.objects.exists():
        Settings.objects.create()


class Migration(migrations.Migration):
    dependencies = [("discharge", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
