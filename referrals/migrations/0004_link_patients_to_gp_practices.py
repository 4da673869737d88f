"""Link each patient to the GP practice their free-text practice names.

A text that matches a GP practice on record by name or ODS code (any case, spaces trimmed)
becomes the link and the text is cleared. A text that matches none is kept in
gp_practice_name, shown on the patient, for a person to pick the practice later: guessing
would allocate community nursing referrals to the wrong locality team.
"""

from django.db import migrations


def link_practices(apps, schema_editor):
    Organisation = apps.get_model("ccc", "Organisation")
    Patient = apps.get_model("referrals", "Patient")
    practices = {}
    for practice in Organisation.objects.filter(kind="gp_practice"):
        practices[practice.name.strip().lower()] = practice
        if practice.ods_code:
            practices[practice.ods_code.strip().lower()] = practice
    for patient in Patient.objects.exclude(gp_practice_name="").filter(gp_practice__isnull=True):
        practice = practices.get(patient.gp_practice_name.strip().lower())
        if practice is not None:
            Patient.objects.filter(pk=patient.pk).update(gp_practice=practice, gp_practice_name="")


def unlink_practices(apps, schema_editor):
    Patient = apps.get_model("referrals", "Patient")
    for patient in Patient.objects.filter(gp_practice__isnull=False, gp_practice_name="").select_related("gp_practice"):
        Patient.objects.filter(pk=patient.pk).update(gp_practice_name=patient.gp_practice.name)


class Migration(migrations.Migration):
    dependencies = [
        ("ccc", "0002_roles_for_front_desk_triage_and_directory"),
        ("referrals", "0003_community_nursing_follow_up_calls_transport"),
    ]

    operations = [migrations.RunPython(link_practices, unlink_practices)]
