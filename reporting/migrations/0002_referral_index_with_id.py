"""The period's referrals index carries the referral id too, so a team's figures stay index-only.

A team lead's figures keep the referrals whose queue item is in the team's queues (a semi-join
on the id): with the id in the index PostgreSQL no longer reads the referrals table for it
(over a million referrals, a month's per-hour figure for one team went from about 75 to 54 ms).
The new index starts with the old one's columns, so the old one is dropped. Plain SQL that
PostgreSQL and SQLite both take, as in 0001.
"""

from django.db import migrations

OLD = "reporting_referral_received_idx"
OLD_COLUMNS = "referrals_referral (received_at, referrer_type)"
NEW = "reporting_referral_received_id_idx"
NEW_COLUMNS = "referrals_referral (received_at, referrer_type, id)"


class Migration(migrations.Migration):
    dependencies = [("reporting", "0001_reporting_indexes")]

    operations = [
        migrations.RunSQL(f"CREATE INDEX {NEW} ON {NEW_COLUMNS}", reverse_sql=f"DROP INDEX {NEW}"),
        migrations.RunSQL(f"DROP INDEX {OLD}", reverse_sql=f"CREATE INDEX {OLD} ON {OLD_COLUMNS}"),
    ]
