"""Joining a pack's parts and numbering its pages (reporting.packs.pdf.stamp), read back with pypdf."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DecodedStreamObject, NameObject
from weasyprint import HTML

from reporting.packs.pdf.stamp import LANDSCAPE_MARGINS, MM, PORTRAIT_MARGINS, join_and_number

A4 = (595.28, 841.89)


def weasyprint_part(pages: list[str], *, landscape: bool = False) -> bytes:
    """A part as WeasyPrint lays it out: one page per heading, each a bookmark."""
    size = "A4 landscape" if landscape else "A4"
    body = "".join(f'<h1 style="break-before: page">{title}</h1><p>Text of {title}.</p>' for title in pages)
    return HTML(string=f"<style>@page {{ size: {size}; margin: 20mm }}</style>{body}").write_pdf()


def array_content_part() -> bytes:
    """A page whose content is an array of two streams that scale and colour without restoring the state."""
    writer = PdfWriter()
    page = writer.add_blank_page(*A4)
    streams = []
    for data in (b"2 0 0 2 0 0 cm 1 0 0 rg 0 0 10 10 re f\n", b"0.5 w 0 0 m 20 20 l S\n"):
        stream = DecodedStreamObject()
        stream.set_data(data)
        streams.append(writer._add_object(stream))  # noqa: SLF001  # pypdf's way to add an indirect object
    page[NameObject("/Contents")] = ArrayObject(streams)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def placed_texts(page) -> list[tuple[str, float, float]]:
    """Each piece of text on the page with where it starts on the page (in points from the bottom left)."""
    found = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            # The text matrix's origin through the current transformation matrix.
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            found.append((text.strip(), x, y))

    page.extract_text(visitor_text=visit)
    return found


@pytest.fixture(scope="module")
def parts():
    return [
        weasyprint_part(["Cover"]),
        weasyprint_part(["People", "Household"]),
        weasyprint_part(["Genogram"], landscape=True),
        array_content_part(),
        weasyprint_part(["Chronology"]),
    ]


def test_pages_come_in_part_order_each_numbered_at_its_bottom_right_margin(parts):
    content, total = join_and_number(parts)
    reader = PdfReader(io.BytesIO(content))
    assert total == len(reader.pages) == 6
    headings = [reader.pages[index].extract_text().split("\n")[0] for index in (0, 1, 2, 3, 5)]
    assert headings == ["Cover", "People", "Household", "Genogram", "Chronology"]
    for number, page in enumerate(reader.pages, start=1):
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        right, bottom = LANDSCAPE_MARGINS if width > height else PORTRAIT_MARGINS
        label = f"Page {number} of {total}"
        numbers = [(x, y) for text, x, y in placed_texts(page) if text == label]
        assert len(numbers) == 1, (number, placed_texts(page))
        x, y = numbers[0]
        # Helvetica 8.5 pt: "Page n of 6" is about 40 pt wide; it ends at the right margin.
        assert width - right * MM - 45 < x < width - right * MM - 35, (number, x, width)
        assert 0 < y < bottom * MM / 2, (number, y)
    assert float(reader.pages[3].mediabox.width) > float(reader.pages[3].mediabox.height)


def test_a_page_drawing_with_an_array_of_streams_keeps_them_and_cannot_move_the_number(parts):
    content, total = join_and_number(parts)
    page = PdfReader(io.BytesIO(content)).pages[4]
    streams = [stream.get_object().get_data() for stream in page["/Contents"]]
    assert streams[0].strip() == b"q"
    assert streams[1:3] == [b"2 0 0 2 0 0 cm 1 0 0 rg 0 0 10 10 re f\n", b"0.5 w 0 0 m 20 20 l S\n"]
    assert streams[3].startswith(b"Q q ")
    # The page scaled by 2 and did not restore it: unwrapped, the number would sit off the page.
    [(_, x, y)] = [placed for placed in placed_texts(page) if placed[0] == f"Page 5 of {total}"]
    assert x < A4[0] - PORTRAIT_MARGINS[0] * MM - 35
    assert 0 < y < PORTRAIT_MARGINS[1] * MM / 2
    font = page["/Resources"]["/Font"]["/PackPageNo"]
    assert (font["/Subtype"], font["/BaseFont"], font["/Encoding"]) == ("/Type1", "/Helvetica", "/WinAnsiEncoding")


def test_links_land_on_their_target_pages_and_links_off_the_pack_are_dropped(parts):
    # The third points past the last page, the fourth is on a page past it: neither is added.
    links = [
        (0, (50, 700, 300, 712), 3),
        (0, (50, 680, 300, 692), 5),
        (0, (50, 660, 300, 672), 6),
        (9, (0, 0, 1, 1), 1),
    ]
    content, _ = join_and_number(parts, links=links)
    reader = PdfReader(io.BytesIO(content))
    page_of = {page.indirect_reference.idnum: index for index, page in enumerate(reader.pages)}
    annotations = [annotation.get_object() for annotation in reader.pages[0]["/Annots"]]
    assert [annotation["/Subtype"] for annotation in annotations] == ["/Link", "/Link"]
    assert [[float(value) for value in annotation["/Rect"]] for annotation in annotations] == [
        [50, 700, 300, 712],
        [50, 680, 300, 692],
    ]
    assert [page_of[annotation["/Dest"][0].idnum] for annotation in annotations] == [3, 5]
    assert all("/Annots" not in page for page in reader.pages[1:])


def test_title_author_and_the_parts_bookmarks_are_kept(parts):
    content, _ = join_and_number(parts, title="REF-1 Conference", author="A Chair")
    reader = PdfReader(io.BytesIO(content))
    assert (reader.metadata.title, reader.metadata.author) == ("REF-1 Conference", "A Chair")
    bookmarks = [(item.title, reader.get_destination_page_number(item)) for item in reader.outline]
    assert bookmarks == [("Cover", 0), ("People", 1), ("Household", 2), ("Genogram", 3), ("Chronology", 5)]
    untitled, _ = join_and_number(parts)
    assert "/Title" not in (PdfReader(io.BytesIO(untitled)).metadata or {})


def test_the_same_parts_give_the_same_bytes(parts):
    assert join_and_number(parts, title="T")[0] == join_and_number(parts, title="T")[0]
