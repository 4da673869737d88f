"""The dashboard's indexes now live in the owning models' ``Meta.indexes``.

0001-0003 made them here as plain SQL the models did not know. The referrals and triage apps now
declare the same columns under their own names (their migrations build them first), so the
copies made here are dropped. ``IF EXISTS``: PostgreSQL and SQLite both take it.
"""

from django.db import migrations

MOVED = {
    "reporting_referral_received_id_idx": "referrals_referral (received_at, referrer_type, id)",
    "reporting_queueitem_routed_idx": "triage_queueitem (routed_at, queue_id, due_at, id, referral_id)",
    "reporting_decision_item_idx": "triage_triagedecision (queue_item_id, decided_at, priority)",
    "reporting_contact_started_idx": "referrals_contact (started_at, caller_type, outcome, id)",
}


class Migration(migrations.Migration):
    dependencies = [
        ("reporting", "0003_contact_started_index"),
        ("referrals", "0009_indexes_from_reporting"),
        ("triage", "0005_indexes_from_reporting"),
    ]

    operations = [
        migrations.RunSQL(f"DROP INDEX IF EXISTS {name}", reverse_sql=f"CREATE INDEX {name} ON {columns}")
        for name, columns in MOVED.items()
    ]
