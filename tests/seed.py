"""The rows the data migrations seed (delay reasons, the frequent contact rule, standard shifts).

A transactional test's flush removes them, so a later transactional test that loads the demo data
puts them back first. Each seeding function finds before it makes, so calling it again is harmless."""

import importlib

from django.apps import apps

SEEDS = [
    ("discharge.migrations.0002_delay_reasons_and_settings", "load"),
    ("referrals.migrations.0006_default_frequent_contact_rule", "default_rule"),
    ("triage.migrations.0004_standard_shifts", "add_shifts"),
]


def reseed() -> None:
    for module, function in SEEDS:
        getattr(importlib.import_module(module), function)(apps, None)
