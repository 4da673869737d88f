# The free-text practice becomes gp_practice_name; 0003 adds the link to the practice and
# 0004 fills it where the text names a practice on record.
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("referrals", "0001_initial")]

    operations = [
        migrations.RenameField("patient", "gp_practice", "gp_practice_name"),
        migrations.RenameField("historicalpatient", "gp_practice", "gp_practice_name"),
    ]
