from django.db import migrations


def default_rule(apps, schema_editor):
    # The starting point, 5 contacts in 30 days; administrators change it in /admin/.
    FrequentContactRule = apps.get_model("referrals", "FrequentContactRule")
    if not FrequentContactRule.objects.exists():
        FrequentContactRule.objects.create(min_contacts=5, within_days=30)


class Migration(migrations.Migration):
    dependencies = [("referrals", "0005_front_desk_contacts")]

    operations = [migrations.RunPython(default_rule, migrations.RunPython.noop)]
