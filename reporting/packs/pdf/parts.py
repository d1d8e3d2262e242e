"""A pack in parts: the cover, the front matter, the flags in runs, the chronology in stable chunks,
the decisions page.

Most of a pack is its chronology, and a chronology changes at its end, a few entries at a time. So
each part is laid out on its own and the PDF of every part but the cover is kept in a cache
(reporting.packs.pdf.cache), keyed by exactly what it shows: the SHA-256 of the part's HTML (which
holds every entry's current text, the masking of restricted entries for the pack's audience, the
significance and agency filters, the running header's reference and the name of who generated it),
the print stylesheet, the WeasyPrint version and LAYOUT_VERSION. A part whose key is in the cache
is not laid out again; a part that shows anything different has another key. Restricted content
cannot leak through the cache: a placeholder and a full entry are different HTML, so different keys.

The chronology is cut into calendar quarters of entries (oldest first); a quarter of more than
CHUNK_MAX_ROWS entries is cut into its months, and a month of more than that into runs of
CHUNK_MAX_ROWS. A new or amended entry changes only the chunk its date falls in. Each chunk starts
on a new page. The cover says when the pack was generated, so it is laid out for every pack, last,
with its contents' page numbers worked out from the other parts' page counts.

No part prints its page number: the parts are joined and every page is stamped "Page N of M" across
the whole pack (reporting.packs.pdf.stamp), so a part whose position changes needs no new layout.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from functools import cache
from typing import Any

# Change this when a template or the way parts are cut changes what a part shows for the same HTML
# (the HTML itself, the stylesheet and WeasyPrint's version are in the key already).
LAYOUT_VERSION = "pack-parts-3"
PART_TEMPLATE = "reporting/pack/part.html"
# The most entries a chunk holds before its quarter is cut into months (and a month into runs).
CHUNK_MAX_ROWS = 120
# About how many flags a part of the flags section holds on average (a long case raises hundreds, each
# with its evidence); flag_chunks cuts them by the flags' ids, so a changed flag re-lays out one part.
FLAG_CHUNK_SIZE = 20
# The sections the cover's contents list, by anchor id (their page is looked up in the laid-out parts).
CONTENTS_ANCHORS = ("summary", "people", "agencies", "family", "last-strategy", "flags", "chronology")

QUARTERS = ("January to March", "April to June", "July to September", "October to December")
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


@dataclass(frozen=True)
class Part:
    """One part of a pack: its name (for logs and tests), its HTML, and its cache key (None: always laid out)."""

    name: str
    html: str
    key: str | None
    anchors: tuple[str, ...] = field(default=())


def _quarter(on: dt.date) -> tuple[int, int]:
    return on.year, (on.month - 1) // 3


def chronology_chunks(rows: list[dict[str, Any]], max_rows: int | None = None) -> list[dict[str, Any]]:
    """The chronology's rows in chunks: a calendar quarter each, a busy quarter by month, a busy
    month in runs of `max_rows`. Each chunk is {"title", "rows", "first", "bounds"}; there is always
    at least one (an empty chronology says so in its one chunk)."""
    limit = max_rows or CHUNK_MAX_ROWS
    quarters: list[tuple[Any, list[dict[str, Any]]]] = []
    for row in rows:
        on = row.get("occurred_on")
        key = _quarter(on) if isinstance(on, dt.date) else None
        if not quarters or quarters[-1][0] != key:
            quarters.append((key, []))
        quarters[-1][1].append(row)
    chunks: list[dict[str, Any]] = []
    for key, quarter_rows in quarters:
        if key is None:
            chunks.append({"title": "", "rows": quarter_rows, "bounds": "undated"})
            continue
        year, quarter = key
        if len(quarter_rows) <= limit:
            chunks.append(
                {"title": f"{QUARTERS[quarter]} {year}", "rows": quarter_rows, "bounds": f"{year}-Q{quarter + 1}"}
            )
            continue
        months: dict[int, list[dict[str, Any]]] = {}
        for row in quarter_rows:
            months.setdefault(row["occurred_on"].month, []).append(row)
        for month, month_rows in months.items():
            title = f"{MONTHS[month - 1]} {year}"
            runs = [month_rows[start : start + limit] for start in range(0, len(month_rows), limit)]
            for number, run in enumerate(runs, start=1):
                chunks.append(
                    {
                        "title": title if number == 1 else f"{title} (continued)",
                        "rows": run,
                        "bounds": f"{year}-{month:02d}" + (f"-{number}" if len(runs) > 1 else ""),
                    }
                )
    if not chunks:
        chunks.append({"title": "", "rows": [], "bounds": "empty"})
    for index, chunk in enumerate(chunks):
        chunk["first"] = index == 0
    return chunks


def _flag_hash(flag: dict[str, Any]) -> int:
    return int.from_bytes(hashlib.sha256(str(flag.get("id", "")).encode()).digest()[:4], "big")


def _cut(flags: list[dict[str, Any]], every: int) -> list[list[dict[str, Any]]]:
    """The flags in runs, each ending after a flag whose hash is a multiple of `every` (or at the end)."""
    runs: list[list[dict[str, Any]]] = [[]]
    for flag in flags:
        runs[-1].append(flag)
        if _flag_hash(flag) % every == 0:
            runs.append([])
    return [run for run in runs if run]


def flag_chunks(flags: list[dict[str, Any]], size: int | None = None) -> list[dict[str, Any]]:
    """The flags in runs of about `size` on average, in their printed order; always at least one run
    (the first carries the section's heading, or says there are none).

    Runs are cut by the flags they hold, never by position: a run ends after a flag whose id hashes to
    a boundary (one in `size`), and a run more than twice `size` long is cut again the same way at
    one flag in a quarter of `size`. So a flag that opens, closes or gains evidence changes the run it
    is in, and every other run keeps its HTML, and so its cached layout. (Cut by position, one flag
    more would move every run after it.)"""
    limit = size or FLAG_CHUNK_SIZE
    runs: list[list[dict[str, Any]]] = []
    for run in _cut(flags, limit):
        runs += _cut(run, max(limit // 4, 1)) if len(run) > 2 * limit else [run]
    runs = runs or [[]]
    return [{"flags": run, "first": index == 0, "number": index + 1} for index, run in enumerate(runs)]


@cache
def _stylesheet_digest() -> str:
    from django.contrib.staticfiles import finders

    path = finders.find("css/print-pack.css")
    data = open(path, "rb").read() if isinstance(path, str) else b""  # noqa: PTH123, SIM115
    return hashlib.sha256(data).hexdigest()


def part_key(html: str) -> str:
    """The cache key of a part: what it shows (its HTML) and everything that lays it out."""
    import weasyprint

    digest = hashlib.sha256()
    for piece in (LAYOUT_VERSION, weasyprint.__version__, _stylesheet_digest()):
        digest.update(piece.encode())
        digest.update(b"\0")
    digest.update(html.encode())
    return digest.hexdigest()


def _render_part(context: dict[str, Any], part: str, **extra: Any) -> str:
    from django.template.loader import render_to_string

    return render_to_string(PART_TEMPLATE, {**context, "part": part, **extra})


def pack_parts(context: dict[str, Any]) -> list[Part]:
    """The parts of a pack other than its cover, in order, each with its HTML and cache key."""
    chunks = context.get("chunks") or chronology_chunks(list(context.get("entries") or []))
    parts = [Part("front", html := _render_part(context, "front"), part_key(html), CONTENTS_ANCHORS)]
    for flag_chunk in flag_chunks(list(context.get("flags") or [])):
        html = _render_part(context, "flags", flag_chunk=flag_chunk)
        name = "flags" if flag_chunk["number"] == 1 else f"flags {flag_chunk['number']}"
        parts.append(Part(name, html, part_key(html), ("flags",) if flag_chunk["first"] else ()))
    for chunk in chunks:
        html = _render_part(context, "chunk", chunk=chunk)
        parts.append(
            Part(f"chronology {chunk['bounds']}", html, part_key(html), ("chronology",) if chunk["first"] else ())
        )
    if context.get("decisions_table"):
        html = _render_part(context, "decisions")
        parts.append(Part("decisions", html, part_key(html)))
    return parts


def cover_part(context: dict[str, Any], contents_pages: dict[str, int]) -> Part:
    """The cover, with its contents' page numbers; never cached (it says when the pack was generated)."""
    pages = {name.replace("-", "_"): number for name, number in contents_pages.items()}
    return Part("cover", _render_part(context, "cover", contents_pages=pages), None)


def full_html(context: dict[str, Any]) -> str:
    """The whole pack as one HTML document (every part in order, page numbers by WeasyPrint's
    counters): what plain WeasyPrint and Chromium are measured on, the floor of the benchmark."""
    from django.template.loader import render_to_string

    chunks = context.get("chunks") or chronology_chunks(list(context.get("entries") or []))
    flags = flag_chunks(list(context.get("flags") or []))
    return render_to_string("reporting/pack/document.html", {**context, "chunks": chunks, "flag_chunks": flags})
