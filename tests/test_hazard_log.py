"""The hazard log (docs/HAZARD_LOG.md) tells the truth: every hazard has its fields, at least one
control naming code that exists and at least one test that exists, and the hazards issue 13 asks
for are all there."""

import ast
import importlib
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LOG = ROOT / "docs" / "HAZARD_LOG.md"
FIELDS = ("Description", "Cause", "Effect", "Initial risk", "Controls", "Tests", "Residual risk", "Status")
HAZARD = re.compile(r"^### (H\d{2,}): (.+)$", re.MULTILINE)
FIELD = re.compile(r"^- \*\*([^*]+)\*\*:(.*?)(?=^- \*\*|\Z)", re.MULTILINE | re.DOTALL)
CODE = re.compile(r"`([a-z_]+/[\w./]*?)(?:::(\w+))?`")
NODE = re.compile(r"`(tests/[\w/]+\.py)::([\w:\[\]-]+)`")
RISK = re.compile(r"^(Minor|Significant|Considerable|Major|Catastrophic) × (Very low|Low|Medium|High|Very high) = [1-5]$")
# Issue 13's hazards, by words of their titles.
REQUIRED = (
    "lost or misrouted", "urgent referral waiting behind routine", "escalation missed", "wrong patient matched or merged",
    "sensitive note shown to the wrong person", "deciding without the record", "lone visit to a high-risk person",
    "word of mouth", "last bed given twice", "delay counted twice",
)


@dataclass
class Hazard:
    id: str
    title: str
    fields: dict[str, str] = field(default_factory=dict)


def parse(text: str) -> list[Hazard]:
    heads = list(HAZARD.finditer(text))
    hazards = []
    for n, head in enumerate(heads):
        body = text[head.end(): heads[n + 1].start() if n + 1 < len(heads) else len(text)]
        fields = {name.strip(): value.strip() for name, value in FIELD.findall(body)}
        hazards.append(Hazard(head.group(1), head.group(2).strip(), fields))
    return hazards


def _defines(path: Path, name: str) -> bool:
    """Whether the module at ``path`` defines ``name`` at its top level (a function, class or constant)."""
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, ast.FunctionDef | ast.ClassDef) and node.name == name:
            return True
        targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, ast.AnnAssign) else []
        if any(isinstance(target, ast.Name) and target.id == name for target in targets):
            return True
    return False


def problems(hazard: Hazard, root: Path = ROOT) -> list[str]:
    """What is wrong with one entry: missing fields, controls naming no code or code that is not
    there, tests that do not exist."""
    found = [f"{hazard.id} has no {name}" for name in FIELDS if not hazard.fields.get(name)]
    for name in ("Initial risk", "Residual risk"):
        if hazard.fields.get(name) and not RISK.match(hazard.fields[name]):
            found.append(f"{hazard.id}: {name} is not 'severity × likelihood = 1-5': {hazard.fields[name]!r}")
    code = CODE.findall(hazard.fields.get("Controls", ""))
    if not code:
        found.append(f"{hazard.id}: no control names the code that enforces it")
    for path, name in code:
        where = root / path
        if not where.exists():
            found.append(f"{hazard.id}: control names {path}, which does not exist")
        elif name and not (where.is_file() and _defines(where, name)):
            found.append(f"{hazard.id}: control names {path}::{name}, which is not defined there")
    nodes = NODE.findall(hazard.fields.get("Tests", ""))
    if not nodes:
        found.append(f"{hazard.id}: no test proves its controls")
    for path, node in nodes:
        found += [f"{hazard.id}: {message}" for message in _test_missing(path, node)]
    return found


def _test_missing(path: str, node: str) -> list[str]:
    module_name = path.removesuffix(".py").replace("/", ".")
    try:
        target = importlib.import_module(module_name)
    except ModuleNotFoundError:
        return [f"test module {path} does not exist"]
    for part in node.split("::"):
        target = getattr(target, part.split("[")[0], None)
        if target is None:
            return [f"test {path}::{node} does not exist"]
    if not callable(target) or not node.split("::")[-1].startswith(("test_", "Test")):
        return [f"{path}::{node} is not a test"]
    return []


HAZARDS = parse(LOG.read_text())


def test_the_log_has_every_hazard_issue_13_names():
    titles = " | ".join(hazard.title.lower() for hazard in HAZARDS)
    assert [words for words in REQUIRED if words not in titles] == []
    assert len({hazard.id for hazard in HAZARDS}) == len(HAZARDS), "hazard ids are unique"


@pytest.mark.parametrize("hazard", HAZARDS, ids=lambda hazard: hazard.id)
def test_each_hazard_has_its_fields_controls_in_code_and_tests_that_exist(hazard):
    assert problems(hazard) == []


ENTRY = """### H99: Something
- **Description**: d
- **Cause**: c
- **Effect**: e
- **Initial risk**: Major × Medium = 4
- **Controls**:
  - {control}
- **Tests**:
  - {test}
- **Residual risk**: Major × Low = 3
- **Status**: Closed.
"""


def test_the_checker_reports_a_test_that_does_not_exist():
    hazard = parse(ENTRY.format(control="`irr/pairs.py::pairs_reasons`",
                                test="`tests/irr/test_pairs.py::test_that_was_renamed`"))[0]
    assert problems(hazard) == ["H99: test tests/irr/test_pairs.py::test_that_was_renamed does not exist"]


def test_the_checker_reports_a_control_naming_code_that_is_not_there():
    hazard = parse(ENTRY.format(control="`irr/pairs.py::pairs_forgotten` and `irr/nowhere.py`",
                                test="`tests/irr/test_pairs.py::test_a_risk_to_staff_alert_on_the_patient_needs_two`"))[0]
    assert problems(hazard) == [
        "H99: control names irr/pairs.py::pairs_forgotten, which is not defined there",
        "H99: control names irr/nowhere.py, which does not exist",
    ]


def test_the_checker_reports_a_hazard_with_no_control_or_no_test():
    hazard = parse(ENTRY.format(control="Training for staff", test="Tested by hand"))[0]
    assert problems(hazard) == ["H99: no control names the code that enforces it", "H99: no test proves its controls"]
