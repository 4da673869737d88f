"""The standard duty shifts, in UK local time. Data an administrator can change afterwards."""

from datetime import time

from django.db import migrations

SHIFTS = [
    ("day", "Day", time(8), time(18), "weekdays"),
    ("evening", "Evening", time(18), time(22), "weekdays"),
    ("night", "Night", time(22), time(8), "every_day"),
    ("weekend", "Weekend day", time(8), time(22), "weekend"),
]


def add_shifts(apps, schema_editor):
    Shift = apps.get_model("triage", "Shift")
    for code, name, starts, ends, days in SHIFTS:
        Shift.objects.get_or_create(code=code, defaults={"name": name, "starts": starts, "ends": ends, "days": days})


class Migration(migrations.Migration):
    dependencies = [("triage", "0003_duty_triage_and_irr")]

    operations = [migrations.RunPython(add_shifts, migrations.RunPython.noop)]
