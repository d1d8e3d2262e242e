"""The snapshot's text search: the flattened corpus of all entries is the same as flattening each
entry alone, and entries_containing finds exactly the entries a one-by-one search finds."""

import datetime as dt
import random
import sys

import pytest

from reporting.flags.snapshot import OTHER_SPACES, SEPARATOR, flatten, flatten_joined
from tests.flags.builders import CaseBuilder

TRICKY = [
    "",
    " ",
    "  ",
    "\n",
    "Co-Sleeping  noted",
    " leading and trailing ",
    "line one\nline two\r\n\tindented",
    "no\u00a0break space and\u2003em space",
    "form\x0cfeed and \x0bvertical tab",
    "file\x1cgroup\x1drecord\x1eunit\x1fseparators",
    "STRASSE Straße ΣΊΣΥΦΟΣ",
    "- dash at start",
    "ends with dash -",
    "a - b -- c",
    "\u2028line separator\u2029paragraph",
]


def test_flatten_collapses_every_kind_of_whitespace_and_folds_case():
    assert flatten("  Co-Sleeping\n\tNOTED\u00a0today ") == "co sleeping noted today"
    assert flatten("Straße") == "strasse"
    assert flatten(" \n ") == ""


@pytest.mark.parametrize("seed", range(20))
def test_flatten_joined_is_flatten_of_each_text_joined(seed):
    rng = random.Random(seed)
    alphabet = "ab -\n\t\r\u00a0\u2003\x0b\x0c\x1cΣß." + "x" * 5
    texts = [*TRICKY]
    for _ in range(200):
        texts.append("".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12))))
    rng.shuffle(texts)
    joined = flatten_joined(texts)
    assert joined.split(SEPARATOR) == [flatten(text) for text in texts]


def test_flatten_joined_of_nothing_is_empty():
    assert flatten_joined([]) == ""


@pytest.mark.parametrize("seed", range(5))
def test_entries_containing_matches_a_search_of_each_entry(seed):
    rng = random.Random(seed)
    words = ["co-sleeping", "sofa", "Alcohol", "drunk", "visit", "seen", "bed", "in bed with", "\n", "  "]
    case = CaseBuilder()
    start = dt.date(2020, 1, 1)
    for _ in range(150):
        summary = " ".join(rng.choice(words) for _ in range(rng.randint(0, 4)))
        detail = " ".join(rng.choice(words) for _ in range(rng.randint(0, 6)))
        case.entry("home_visit", start + dt.timedelta(days=rng.randint(0, 700)), summary=summary, detail=detail)
    snapshot = case.snapshot(dt.date(2022, 12, 31))
    needles = ["co sleeping", "in bed with", "drunk", "alcohol sofa"]
    for since, at in [(None, dt.date(2022, 12, 31)), (dt.date(2020, 6, 1), dt.date(2021, 3, 1)), (None, start)]:
        expected = [
            e
            for e in snapshot.counted_entries
            if e.occurred_on <= at
            and (since is None or e.occurred_on >= since)
            and any(needle in flatten(e.text) for needle in needles)
        ]
        found = snapshot.entries_containing(needles, at, since)
        assert [e.id for e in found] == [e.id for e in expected]
    assert any(snapshot.entries_containing(["co sleeping"], dt.date(2022, 12, 31)))


def test_other_spaces_are_every_whitespace_character_but_the_space():
    every = {chr(code) for code in range(sys.maxunicode + 1) if chr(code).isspace()}
    assert set(OTHER_SPACES) == every - {" "}
