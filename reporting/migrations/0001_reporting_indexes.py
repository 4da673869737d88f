"""Indexes the dashboard's figures read through (index-only scans on PostgreSQL over a million referrals).

They are on the referrals and triage tables but made here, by the app that needs them, so that
this capability could be built beside those apps without editing their models. Plain SQL that
PostgreSQL and SQLite both take; Django's model state does not list them. To move them into the
models' Meta.indexes later: add the same indexes there with these names and make this migration
a no-op for databases that already have them.
"""

from django.db import migrations

INDEXES = {
    # Per day, per hour of the week, by source: the period's referrals without touching the table.
    "reporting_referral_received_idx": "referrals_referral (received_at, referrer_type)",
    # The period's queue items by queue, with their times and referral (by queue, time to triage, scope).
    "reporting_queueitem_routed_idx": "triage_queueitem (routed_at, queue_id, due_at, id, referral_id)",
    # From a queue item to its decision's time and priority (time to triage).
    "reporting_decision_item_idx": "triage_triagedecision (queue_item_id, decided_at, priority)",
}


class Migration(migrations.Migration):
    dependencies = [
        ("referrals", "0001_initial"),
        ("triage", "0001_initial"),
    ]

    operations = [
        migrations.RunSQL(f"CREATE INDEX {name} ON {columns}", reverse_sql=f"DROP INDEX {name}")
        for name, columns in INDEXES.items()
    ]
