"""Join a pack's parts into one PDF and number every page "Page N of M" across the whole pack.

The parts are laid out without page numbers (part.html empties the bottom-right margin box). Here
each page gets the words in that box's place: right-aligned at the page's right margin, in the
middle of its bottom margin, 8.5 pt Helvetica (the PDF standard font with Liberation Sans's and
Arial's metrics, so nothing is embedded). A part that moves (an earlier part gained a page) needs
no new layout: only these few words change.

The joining is pikepdf's (qpdf, C++): the parts' pages, their bookmarks and named destinations are
copied as they are, without parsing every object in Python, so an unchanged re-print of a long pack
is quick.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

import pikepdf
from pikepdf import Array, Dictionary, Name, NameTree

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
    pdf = pikepdf.Pdf.new()
    # qpdf copies a part's streams from its source when the joined PDF is written: keep them open.
    sources = [pikepdf.Pdf.open(io.BytesIO(content)) for content in parts]
    try:
        for source in sources:
            pdf.pages.extend(source.pages)
            # After its pages, so the copies' destinations point at the joined PDF's pages.
            _append_outline(pdf, source)
            _append_named_destinations(pdf, source)
        total = len(pdf.pages)
        _number_pages(pdf, total)
        for page_index, rect, target in links:
            if 0 <= page_index < total and 0 <= target < total:
                _add_link(pdf, page_index, rect, target)
        for key, value in (("/Title", title), ("/Author", author)):
            if value:
                pdf.docinfo[key] = value
        versions = [source.pdf_version for source in sources]
        out = io.BytesIO()
        # The /ID from the content, not the clock: the same parts give the same bytes.
        pdf.save(out, deterministic_id=True, min_version=max(versions, key=_version_key, default="1.4"))
    finally:
        for source in sources:
            source.close()
        pdf.close()
    return out.getvalue(), total


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split(".") if part.isdigit())


def _number_pages(pdf: pikepdf.Pdf, total: int) -> None:
    font = pdf.make_indirect(
        Dictionary(Type=Name.Font, Subtype=Name.Type1, BaseFont=Name.Helvetica, Encoding=Name.WinAnsiEncoding)
    )
    opening = pdf.make_stream(b"q\n")
    for number, page in enumerate(pdf.pages, start=1):
        obj = page.obj
        box = page.mediabox
        width, height = float(box[2]) - float(box[0]), float(box[3]) - float(box[1])
        closing = pdf.make_stream(_number_stream(page_label(number, total), width, height))
        # The page's own drawing is wrapped in q ... Q, so whatever state it leaves does not move the number.
        existing = obj.get(Name.Contents)
        items = list(existing) if isinstance(existing, Array) else ([existing] if existing is not None else [])
        obj.Contents = Array([opening, *items, closing])
        if Name.Resources not in obj:
            obj.Resources = Dictionary()
        resources = obj.Resources
        if Name.Font not in resources:
            resources.Font = Dictionary()
        resources.Font[FONT_NAME] = font


def _add_link(pdf: pikepdf.Pdf, page_index: int, rect: tuple[float, float, float, float], target: int) -> None:
    page = pdf.pages[page_index].obj
    annotation = pdf.make_indirect(
        Dictionary(
            Type=Name.Annot,
            Subtype=Name.Link,
            Rect=Array(rect),
            Border=Array([0, 0, 0]),
            Dest=Array([pdf.pages[target].obj, Name.Fit]),
            P=page,
        )
    )
    if Name.Annots not in page:
        page.Annots = Array()
    page.Annots.append(annotation)


def _append_outline(pdf: pikepdf.Pdf, source: pikepdf.Pdf) -> None:
    """The part's bookmarks after those of the parts before it, at the top level."""
    outlines = source.Root.get(Name.Outlines)
    if not isinstance(outlines, Dictionary) or Name.First not in outlines:
        return
    copied = pdf.copy_foreign(outlines)
    if Name.Outlines not in pdf.Root:
        pdf.Root.Outlines = pdf.make_indirect(Dictionary(Type=Name.Outlines, Count=0))
    root = pdf.Root.Outlines
    first = item = copied.First
    while True:
        item.Parent = root
        if Name.Next not in item:
            break
        item = item.Next
    if Name.Last in root:
        root.Last.Next = first
        first.Prev = root.Last
    else:
        root.First = first
    root.Last = item
    root.Count = int(root.get(Name.Count, 0)) + abs(int(copied.get(Name.Count, 0)))


def _append_named_destinations(pdf: pikepdf.Pdf, source: pikepdf.Pdf) -> None:
    """The part's named destinations (its internal links' targets); the first part with a name keeps it."""
    names = source.Root.get(Name.Names)
    if not isinstance(names, Dictionary) or Name.Dests not in names:
        return
    if Name.Names not in pdf.Root:
        pdf.Root.Names = pdf.make_indirect(Dictionary())
    if Name.Dests not in pdf.Root.Names:
        pdf.Root.Names.Dests = NameTree.new(pdf).obj
    joined = NameTree(pdf.Root.Names.Dests)
    for name, destination in NameTree(names.Dests).items():
        if name not in joined:
            # qpdf copies indirect objects only (the part's copy is thrown away after the join).
            if not destination.is_indirect:
                destination = source.make_indirect(destination)
            joined[name] = pdf.copy_foreign(destination)
