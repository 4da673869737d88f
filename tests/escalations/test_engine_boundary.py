"""The escalation engine knows clocks, not domains: it imports no domain app."""

import ast
from pathlib import Path

from django.conf import settings

DOMAIN_APPS = {"triage", "referrals", "discharge", "irr", "directory", "reporting"}


def test_the_engine_imports_no_domain_app():
    engine = Path(settings.BASE_DIR) / "escalations"
    imported = set()
    for path in engine.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module:
                imported.add((path.name, node.module.split(".")[0]))
            elif isinstance(node, ast.Import):
                imported.update((path.name, alias.name.split(".")[0]) for alias in node.names)
    assert sorted((name, module) for name, module in imported if module in DOMAIN_APPS) == []


def test_triage_and_referrals_tell_the_engine_who_is_on_duty_and_where_timelines_go():
    from escalations import subjects
    from referrals.models import Referral
    from triage.models import TriageDecision

    assert subjects.timeline_for(Referral) is not None
    assert subjects.timeline_for(TriageDecision) is not None
    assert subjects.on_duty(None, None) == [] and subjects.duty_lead(None, None) is None
