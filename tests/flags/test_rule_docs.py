"""docs/rules/ explains every registered rule to practitioners: each rule has its section on a family
page, with each of its parameters and its default, and the index lists it."""

import re
from pathlib import Path

import pytest

from reporting.flags.engine import rule_classes

DOCS = Path(__file__).resolve().parents[2] / "docs" / "rules"


def family_pages() -> dict[str, str]:
    return {page.name: page.read_text() for page in DOCS.glob("*.md") if page.name != "README.md"}


def section(rule_id: str) -> str:
    """The text of the rule's own section (from its heading to the next), on whichever family page holds it."""
    for text in family_pages().values():
        match = re.search(rf"^## `{rule_id}`.*?(?=^## |\Z)", text, re.MULTILINE | re.DOTALL)
        if match:
            return match.group(0)
    return ""


@pytest.mark.parametrize("rule", rule_classes(), ids=lambda r: r.id)
def test_every_rule_has_a_section_naming_each_parameter_and_default(rule):
    text = section(rule.id)
    assert text, f"no section for {rule.id} in docs/rules/"
    for name, default in rule.defaults.items():
        assert re.search(rf"\| `{name}` \| \"?{re.escape(str(default))}", text), f"{rule.id}.{name}"


@pytest.mark.parametrize("rule", rule_classes(), ids=lambda r: r.id)
def test_the_index_lists_every_rule_and_links_its_family_page(rule):
    index = (DOCS / "README.md").read_text()
    assert f"`{rule.id}`" in index
    linked = set(re.findall(r"\]\(([a-z-]+\.md)\)", index))
    assert linked <= set(family_pages()), linked - set(family_pages())
    assert any(f"## `{rule.id}`" in family_pages()[page] for page in linked)


def test_every_family_page_says_a_flag_is_a_prompt_never_a_verdict():
    for name, text in family_pages().items():
        assert "never a verdict" in text, name
