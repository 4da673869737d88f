"""A resource checked against the UK Core profile it claims in ``meta.profile``, offline.

No FHIR validator runs here (no network to fetch the HL7 validator or the UK Core package), so the
profiles we claim are stored in docs/fhir/profiles/: each UK Core differential, and the base R4 rules
it inherits for the elements we put out (R4-base-rules.json). ``problems(resource)`` walks every
element those name and reports, in words, each breach of:

- cardinality: fewer than ``min`` or more than ``max`` under each parent present;
- ``fixed[x]`` (equal) and ``pattern[x]`` (contains) values;
- required bindings whose codes the rules list (a code, a Coding or each Coding of a CodeableConcept);
- Reference targets: a reference's ``type`` is a resource type one of the target profiles allows;
- slices by value: an identifier slice by its fixed ``system``, an extension slice by its profile's url.

Not checked: invariants (FHIRPath), extensible or preferred bindings, terminology servers' value sets
(SNOMED CT), extensions' own profiles beyond their url, and any element neither file names.
"""

import json
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

PROFILES = Path(__file__).resolve().parents[2] / "docs" / "fhir" / "profiles"


@cache
def profiles() -> dict[str, dict]:
    """The UK Core StructureDefinitions we hold, by canonical url."""
    found = (json.loads(path.read_text()) for path in sorted(PROFILES.glob("UKCore-*.json")))
    return {definition["url"]: definition for definition in found}


@cache
def base_rules() -> dict[str, list[dict]]:
    return json.loads((PROFILES / "R4-base-rules.json").read_text())["elements"]


def _children(nodes: list, name: str) -> list:
    found: list = []
    for node in nodes:
        if isinstance(node, dict) and name in node:
            value = node[name]
            found.extend(value if isinstance(value, list) else [value])
    return found


def _fixed(element: dict) -> Any:
    return next((value for key, value in element.items() if key.startswith(("fixed", "pattern"))), None)


def _slice_member(elements: dict[str, dict], sliced_id: str, slice_id: str) -> Callable[[Any], bool]:
    """Which of the sliced element's values belong to the slice: by the discriminator's value."""
    on = elements[sliced_id]["slicing"]["discriminator"][0]["path"]
    member = elements[slice_id]
    if on == "url" and member.get("type"):  # an extension slice: its profile's url
        wanted = member["type"][0]["profile"][0]
    else:
        wanted = _fixed(elements[f"{slice_id}.{on}"])
    return lambda value: isinstance(value, dict) and value.get(on) == wanted


def _under_parents(resource: dict, element_id: str, elements: dict[str, dict]) -> list[tuple[Any, list]]:
    """Each parent the element's path reaches in ``resource``, with the element's values under it."""
    root, *steps = element_id.split(".")
    nodes, reached = [resource], root
    for n, step in enumerate(steps):
        name, _, slice_name = step.partition(":")
        sliced = f"{reached}.{name}"
        keep = _slice_member(elements, sliced, f"{sliced}:{slice_name}") if slice_name else (lambda value: True)
        if n == len(steps) - 1:
            return [(node, [value for value in _children([node], name) if keep(value)]) for node in nodes]
        nodes = [value for value in _children(nodes, name) if keep(value)]
        reached = f"{sliced}:{slice_name}" if slice_name else sliced
    return [(None, [resource])]


def _codes(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict) and "coding" in value:
        return [coding.get("code") for coding in value["coding"]]
    if isinstance(value, dict):
        return [value.get("code")]
    return [value]


def _contains(value: Any, pattern: Any) -> bool:
    if isinstance(pattern, dict):
        return isinstance(value, dict) and all(_contains(value.get(key), part) for key, part in pattern.items())
    return value == pattern


def _target_types(element: dict) -> set[str]:
    urls = [url for kind in element.get("type", []) for url in kind.get("targetProfile", [])]
    return {url.rsplit("/", 1)[1].removeprefix("UKCore-") for url in urls}


def _breaches(element: dict, values: list, where: str) -> list[str]:
    found = []
    if len(values) < int(element.get("min", 0)):
        found.append(f"{where}: at least {element['min']} needed, {len(values)} given")
    most = element.get("max", "*")
    if most != "*" and len(values) > int(most):
        found.append(f"{where}: at most {most} allowed, {len(values)} given")
    fixed = _fixed(element)
    if fixed is not None:
        found += [f"{where}: {value!r} is not {fixed!r}" for value in values if not _contains(value, fixed)]
    binding = element.get("binding", {})
    if binding.get("strength") == "required" and "codes" in binding:
        found += [
            f"{where}: {code!r} is not in {binding['valueSet']}"
            for value in values for code in _codes(value) if code not in binding["codes"]
        ]
    targets = _target_types(element)
    if targets:
        found += [
            f"{where}: a reference to {value['type']} where the profile allows {sorted(targets)}"
            for value in values if isinstance(value, dict) and "type" in value and value["type"] not in targets
        ]
    return found


def problems(resource: dict) -> list[str]:
    """Every breach of the profiles ``resource`` claims, in words; [] when it conforms to what we check."""
    claimed = resource.get("meta", {}).get("profile", [])
    if not claimed:
        return [f"{resource.get('resourceType')} claims no profile"]
    found = []
    for url in claimed:
        definition = profiles().get(url)
        if definition is None:
            found.append(f"{url} is not a profile we hold in docs/fhir/profiles")
            continue
        if definition["type"] != resource.get("resourceType"):
            found.append(f"{url} profiles {definition['type']}, not {resource.get('resourceType')}")
            continue
        elements = {element["id"]: element for element in definition["differential"]["element"]}
        rules = [*({"id": rule["path"], **rule} for rule in base_rules()[definition["type"]]), *elements.values()]
        for rule in rules:
            for _, values in _under_parents(resource, rule["id"], elements):
                found += _breaches(rule, values, f"{rule['id']} ({url.rsplit('/', 1)[1]})")
    return found
