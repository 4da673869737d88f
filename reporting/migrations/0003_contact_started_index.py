"""An index for the contacts figures: the period's contacts, read from the index alone.

The four contacts figures (per day, per hour of the week, by source, by outcome) filter the
contacts on ``started_at``; the only indexes holding it started with the patient or the phone
number, so PostgreSQL read the whole contacts table for each figure. Over a million contacts a
month's figure went from about 83 to 25 ms each (``docs/PERFORMANCE.md``). The id is in the
index for the "not amended" anti-join. Plain SQL as in 0001.
"""

from django.db import migrations

NAME = "reporting_contact_started_idx"
COLUMNS = "referrals_contact (started_at, caller_type, outcome, id)"


class Migration(migrations.Migration):
    dependencies = [
        ("reporting", "0002_referral_index_with_id"),
        ("referrals", "0005_front_desk_contacts"),
    ]

    operations = [
        migrations.RunSQL(f"CREATE INDEX {NAME} ON {COLUMNS}", reverse_sql=f"DROP INDEX {NAME}"),
    ]
