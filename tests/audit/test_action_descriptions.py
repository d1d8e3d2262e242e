"""Every audit action code the service records has a readable description in audit/descriptions.py.

The codes are read from the source: the `action=` of every call (audit_record and the helpers that
pass a code on to it), the `audit_read_action` of API views, and module constants they name."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from audit.descriptions import ACTION_DESCRIPTIONS, describe_action

ROOT = Path(__file__).resolve().parents[2]
SKIP = {".venv", "node_modules", "tests", "migrations", "bench", "demo", "static", "media"}
CODE = re.compile(r"^[a-z0-9_]+(\.[a-z0-9_]+)+$")


def _strings(node: ast.AST, constants: dict[str, str]) -> list[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        return _strings(node.body, constants) + _strings(node.orelse, constants)
    if isinstance(node, ast.Name) and node.id in constants:
        return [constants[node.id]]
    return []


def recorded_action_codes() -> dict[str, str]:
    """code -> a file that records it."""
    codes: dict[str, str] = {}
    for path in sorted(ROOT.rglob("*.py")):
        if SKIP & set(path.relative_to(ROOT).parts):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        constants = {
            target.id: node.value.value
            for node in tree.body
            if isinstance(node, ast.Assign)
            and isinstance(node.value, ast.Constant)
            and isinstance(node.value.value, str)
            for target in node.targets
            if isinstance(target, ast.Name)
        }
        found: list[str] = []
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                for keyword in node.keywords:
                    if keyword.arg == "action":
                        found += _strings(keyword.value, constants)
            elif isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == "audit_read_action" for t in node.targets
            ):
                found += _strings(node.value, constants)
        for code in found:
            if CODE.match(code):  # entries have an `action` field too: free text, not a code
                codes.setdefault(code, str(path.relative_to(ROOT)))
    return codes


def test_the_source_records_the_codes_this_test_is_meant_to_find():
    codes = recorded_action_codes()
    assert {"chronology.timeline_viewed", "entry.created", "security.access_refused", "genogram.exported"} <= set(codes)


def test_every_recorded_action_code_has_a_description():
    missing = {code: where for code, where in recorded_action_codes().items() if code not in ACTION_DESCRIPTIONS}
    assert not missing, f"add these to audit/descriptions.py: {missing}"


def test_descriptions_are_sentences_not_codes():
    for code, description in ACTION_DESCRIPTIONS.items():
        assert description and description[0].isupper() and "." not in description and "_" not in description, code


def test_an_unknown_code_is_still_shown_readably():
    assert describe_action("thing.done_twice") == "Thing done twice"
