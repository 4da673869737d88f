"""Apps depend one way: the shared core knows no domain app.

Only the project shell (settings, URL configuration, the home page, the demo data command)
wires the apps together; everything else in ccc/ must work with no domain app installed.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOMAIN_APPS = {"referrals", "triage", "irr", "discharge", "directory", "reporting", "escalations", "interop"}
PROJECT_SHELL = {"ccc/settings.py", "ccc/urls.py", "ccc/api_urls.py", "ccc/views.py", "ccc/celery.py", "ccc/wsgi.py"}


def imported_apps(path: Path) -> set[str]:
    """Top-level packages a module imports, at module level or inside functions."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_the_shared_core_imports_no_domain_app():
    shared = [
        path for path in (ROOT / "ccc").rglob("*.py")
        if "migrations" not in path.parts and "management" not in path.parts
        and str(path.relative_to(ROOT)) not in PROJECT_SHELL
    ]
    assert len(shared) > 10
    wrong = {str(path.relative_to(ROOT)): sorted(imported_apps(path) & DOMAIN_APPS) for path in shared}
    assert {path: apps for path, apps in wrong.items() if apps} == {}


def test_the_dependency_check_sees_imports_inside_functions(tmp_path):
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from triage.models import QueueItem\n")
    assert imported_apps(module) == {"triage"}
