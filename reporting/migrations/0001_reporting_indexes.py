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
    # From a referral to its queue item's queue and times (by queue, time to triage, scope).
    "reporting_queueitem_referral_idx": "triage_queueitem (referral_id, queue_id, routed_at, due_at, id)",
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
