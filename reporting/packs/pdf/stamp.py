"""Join a pack's parts into one PDF and number every page "Page N of M" across the whole pack.

The parts are laid out without page numbers (part.html empties the bottom-right margin box). Here
each page gets the words in that box's place: right-aligned at the page's right margin, in the
middle of its bottom margin, 8.5 pt Helvetica (the PDF standard font with Liberation Sans's and
Arial's metrics, so nothing is embedded). A part that moves (an earlier part gained a page) needs
no new layout: only these few words change.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from pypdf import PdfReader, PdfWriter
from pypdf.annotations import Link
from pypdf.generic import ArrayObject, DecodedStreamObject, DictionaryObject, NameObject

MM = 72 / 25.4
FONT_SIZE = 8.5
FONT_NAME = "/PackPageNo"
# The page margins of print-pack.css: (right, bottom) in mm, portrait and landscape ("wide").
PORTRAIT_MARGINS = (14, 18)
LANDSCAPE_MARGINS = (10, 12)
# Helvetica advance widths (per 1000 em) of the characters "Page N of M" uses.
_WIDTHS = {" ": 278, "P": 667, "a": 556, "g": 556, "e": 556, "o": 556, "f": 278, **dict.fromkeys("0123456789", 556)}


def page_label(number: int, total: int) -> str:
    return f"Page {number} of {total}"


def _text_width(text: str) -> float:
    return sum(_WIDTHS.get(char, 556) for char in text) * FONT_SIZE / 1000


def _number_stream(text: str, width: float, height: float) -> bytes:
    right, bottom = LANDSCAPE_MARGINS if width > height else PORTRAIT_MARGINS
    x = width - right * MM - _text_width(text)
    # The margin box's line is centred in the bottom margin: put the baseline a third of the
    # font size below the middle.
    y = bottom * MM / 2 - FONT_SIZE / 3
    return f"Q q BT {FONT_NAME} {FONT_SIZE} Tf 0 g 1 0 0 1 {x:.2f} {y:.2f} Tm ({text}) Tj ET Q\n".encode("ascii")


def join_and_number(
    parts: Sequence[bytes],
    *,
    title: str = "",
    author: str = "",
    links: Sequence[tuple[int, tuple[float, float, float, float], int]] = (),
) -> tuple[bytes, int]:
    """The parts' pages in order as one PDF, each numbered across the whole; returns (PDF, pages).
    `links` are (page, rectangle in points, target page), all 0-based in the joined PDF."""
    writer = PdfWriter()
    for content in parts:
        writer.append(PdfReader(io.BytesIO(content)))
    total = len(writer.pages)
    font = writer._add_object(  # noqa: SLF001  # pypdf's way to add an indirect object
        DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Font"),
                NameObject("/Subtype"): NameObject("/Type1"),
                NameObject("/BaseFont"): NameObject("/Helvetica"),
                NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
            }
        )
    )
    opening = DecodedStreamObject()
    opening.set_data(b"q\n")
    opening_ref = writer._add_object(opening)  # noqa: SLF001
    for number, page in enumerate(writer.pages, start=1):
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        stream = DecodedStreamObject()
        stream.set_data(_number_stream(page_label(number, total), width, height))
        closing_ref = writer._add_object(stream)  # noqa: SLF001
        # The page's own drawing is wrapped in q ... Q, so whatever state it leaves does not move the number.
        existing = page.raw_get("/Contents") if "/Contents" in page else None
        resolved = existing.get_object() if existing is not None else None
        items = list(resolved) if isinstance(resolved, ArrayObject) else ([existing] if existing is not None else [])
        page[NameObject("/Contents")] = ArrayObject([opening_ref, *items, closing_ref])
        if "/Resources" not in page:
            page[NameObject("/Resources")] = DictionaryObject()
        resources = page["/Resources"].get_object()
        if "/Font" not in resources:
            resources[NameObject("/Font")] = DictionaryObject()
        resources["/Font"].get_object()[NameObject(FONT_NAME)] = font
    for page_index, rect, target in links:
        if 0 <= page_index < total and 0 <= target < total:
            writer.add_annotation(page_number=page_index, annotation=Link(rect=rect, target_page_index=target))
    metadata = {key: value for key, value in (("/Title", title), ("/Author", author)) if value}
    if metadata:
        writer.add_metadata(metadata)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue(), total
