"""A long unbroken word (a pasted URL, a run of characters) wraps inside its column in a pack and
on the pages: it never runs off the page, and the pack builds in bounded time."""

from __future__ import annotations

import datetime as dt
import io
import re
import time
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.packs.conftest import pack_text

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
WORD = "Q" * 5000


def _longest_run(text: str) -> int:
    return max((len(run) for run in re.findall(r"Q+", text)), default=0)


def test_long_unbroken_word_wraps_in_the_pack_and_builds_quickly(build, users, case, add_entry):
    add_entry(case, dt.date(2026, 2, 3), "Pasted reference", detail=WORD)
    started = time.monotonic()
    pack = build(users.sw, case, kind="conference")
    elapsed = time.monotonic() - started
    assert pack.status == "done", pack.error
    assert elapsed < 60
    content = pack.file.read()
    text = "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(content)).pages)
    # Every character is printed, broken over lines no longer than the column.
    assert text.count("Q") == len(WORD)
    assert _longest_run(text) < 200
    assert pack.page_count < 40


def test_long_unbroken_summary_wraps_in_the_pack(build, users, case, add_entry):
    add_entry(case, dt.date(2026, 2, 3), "Q" * 300)
    pack = build(users.sw, case)
    assert pack.status == "done", pack.error
    content = pack.file.read()
    text = "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(content)).pages)
    assert _longest_run(text) < 200


@pytest.mark.parametrize("sheet", ["print-pack.css", "chronology.css", "app.css"])
def test_stylesheets_break_long_words_anywhere(sheet):
    css = (ROOT / "static" / "css" / sheet).read_text()
    assert "overflow-wrap: anywhere" in css


def test_long_unbroken_case_title_and_names_wrap_in_the_pack(build, users, case, people):
    case.title = "Q" * 200
    case.save()
    people.mother.known_as = "Q" * 200
    people.mother.save()
    pack = build(users.sw, case)
    assert pack.status == "done", pack.error
    text = pack_text(pack)
    assert text.count("Q") >= 400
    # The title (24 pt on a portrait page) and the name (a narrow column) break over several lines.
    assert _longest_run(text) < 60
