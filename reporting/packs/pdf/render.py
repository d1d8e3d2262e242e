"""HTML to PDF with WeasyPrint, through the locked-down fetcher.

A long chronology is laid out in two processes at once (the machine's cores): the main part (cover,
people, agencies, drawings, flags, the first rows of the chronology, decisions) here, and the rest of
the chronology in a forked child. Each lays out its own pages; just before the page-margin boxes are
made, the two exchange their page counts, so every page's "Page N of M" is numbered in the joined
document (the rest of the chronology goes after the main part's chronology pages, before the
decisions page). Each then draws its PDF, and the parts are joined with pypdf.

Every pack is laid out in a child process with a time limit (`pack_to_pdf_bounded`): WeasyPrint
cannot be interrupted from inside, so the child is killed when the limit passes, on a Celery worker
and in the embedded default alike. While it waits, the parent calls a heartbeat so a sweeper can
tell a build that is alive from one whose worker died. A child dies with its parent.
"""

from __future__ import annotations

import contextlib
import ctypes
import io
import os
import pickle
import select
import signal
import struct
import time
from collections.abc import Callable
from dataclasses import dataclass

import weasyprint.layout as wp_layout
from weasyprint import HTML

from reporting.packs.pdf.fetcher import PACK_BASE_URL, StaticOnlyURLFetcher


@dataclass(frozen=True)
class RenderedPDF:
    content: bytes
    page_count: int
    refused_urls: tuple[str, ...]


def html_to_pdf(html: str) -> RenderedPDF:
    fetcher = StaticOnlyURLFetcher()
    document = HTML(string=html, base_url=PACK_BASE_URL, url_fetcher=fetcher, media_type="print").render()
    content = document.write_pdf()
    return RenderedPDF(content=content, page_count=len(document.pages), refused_urls=tuple(fetcher.refused))


# --- Page numbers across parts -------------------------------------------------------------------
# WeasyPrint 70 lays out every page first, then makes each page's margin boxes from that page's
# counter values. Two small wrappers (pinned to 70.0) note the laid-out pages and, before the first
# margin box, let a Renumber callback set each page's "page" and "pages" counters.

# Given the laid-out pages of this part, return (number of the i-th page (1-based), total pages).
Renumber = Callable[[list], tuple[Callable[[int], int], int]]
_renumber: Renumber | None = None
_make_all_pages = wp_layout.make_all_pages
_make_margin_boxes = wp_layout.make_margin_boxes


def _noting_make_all_pages(context, root_box, html, pages):  # type: ignore[no-untyped-def]
    laid_out = list(_make_all_pages(context, root_box, html, pages))
    context.pack_pages = laid_out
    return laid_out


def _renumbering_make_margin_boxes(context, page, state):  # type: ignore[no-untyped-def]
    if _renumber is not None and not getattr(context, "pack_renumbered", False):
        context.pack_renumbered = True
        number_of, total = _renumber(context.pack_pages)
        for index in range(1, len(context.pack_pages) + 1):
            counters = context.page_maker[index][3][1]
            counters["page"] = [number_of(index)]
            counters["pages"] = [total]
    return _make_margin_boxes(context, page, state)


wp_layout.make_all_pages = _noting_make_all_pages
wp_layout.make_margin_boxes = _renumbering_make_margin_boxes


def _render(html: str, renumber: Renumber, fetcher: StaticOnlyURLFetcher):  # type: ignore[no-untyped-def]
    global _renumber
    _renumber = renumber
    try:
        return HTML(string=html, base_url=PACK_BASE_URL, url_fetcher=fetcher, media_type="print").render()
    finally:
        _renumber = None


def _send(fd: int, value: object) -> None:
    data = pickle.dumps(value)
    os.write(fd, struct.pack("!Q", len(data)))
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _receive(fd: int) -> object:
    def exactly(size: int) -> bytes:
        chunks, left = [], size
        while left:
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                raise EOFError("The other part of the pack stopped before it finished.")
            chunks.append(chunk)
            left -= len(chunk)
        return b"".join(chunks)

    (size,) = struct.unpack("!Q", exactly(8))
    return pickle.loads(exactly(size))  # noqa: S301  # our own forked child, over our own pipe


def _starts_section(page, element_id: str) -> bool:  # type: ignore[no-untyped-def]
    return any(
        box.element is not None and box.element.get("id") == element_id
        for box in page.descendants()
        if getattr(box, "element", None) is not None and box.element_tag == "section"
    )


def _rest_child(rest_html: str, to_parent: int, from_parent: int) -> None:
    """In the forked child: lay out the rest of the chronology, numbered as the parent says."""

    def renumber(pages: list) -> tuple[Callable[[int], int], int]:
        _send(to_parent, len(pages))
        offset, total = _receive(from_parent)  # type: ignore[misc]
        return (lambda index: index + offset), total

    fetcher = StaticOnlyURLFetcher()
    document = _render(rest_html, renumber, fetcher)
    _send(to_parent, (document.write_pdf(), tuple(fetcher.refused)))


def html_parts_to_pdf(main_html: str, rest_html: str) -> RenderedPDF:
    """Render the main part here and the rest of the chronology in a forked child, then join them."""
    parent_in, child_out = os.pipe()  # child -> parent (read end, write end)
    child_in, parent_out = os.pipe()  # parent -> child (read end, write end)
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child's coverage is not collected
        status = 1
        try:
            _die_with_parent()
            os.close(parent_in)
            os.close(parent_out)
            _rest_child(rest_html, child_out, child_in)
            status = 0
        except BaseException as error:  # noqa: BLE001  # report anything to the parent
            with contextlib.suppress(Exception):
                _send(child_out, error)
        finally:
            os._exit(status)
    os.close(child_out)
    os.close(child_in)
    split: dict[str, int] = {}
    try:

        def renumber(pages: list) -> tuple[Callable[[int], int], int]:
            rest_pages = _receive(parent_in)
            if isinstance(rest_pages, BaseException):
                raise rest_pages
            # Pages from the decisions section on go after the rest of the chronology.
            before = len(pages)
            for index in range(len(pages) - 1, -1, -1):
                if _starts_section(pages[index], "decisions"):
                    before = index
                    break
            total = len(pages) + rest_pages
            split.update(before=before, rest=rest_pages, total=total)
            _send(parent_out, (before, total))
            return (lambda index: index if index <= before else index + rest_pages), total

        fetcher = StaticOnlyURLFetcher()
        document = _render(main_html, renumber, fetcher)
        main_pdf = document.write_pdf()
        answer = _receive(parent_in)
        if isinstance(answer, BaseException):
            raise answer
        rest_pdf, rest_refused = answer  # type: ignore[misc]
    finally:
        os.close(parent_in)
        os.close(parent_out)
        os.waitpid(pid, 0)
    content = _join(main_pdf, rest_pdf, split["before"])
    return RenderedPDF(
        content=content, page_count=split["total"], refused_urls=tuple(fetcher.refused) + tuple(rest_refused)
    )


def _join(main_pdf: bytes, rest_pdf: bytes, before: int) -> bytes:
    """The main part's pages with the rest's inserted after its first `before` pages."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(main_pdf)))
    rest = PdfReader(io.BytesIO(rest_pdf))
    for offset, page in enumerate(rest.pages):
        writer.insert_page(page, before + offset)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


# A chronology this long is laid out in two parts at once; shorter packs are one part.
PARALLEL_MIN_ROWS = 300
# The main part also holds the cover, people, drawings and flags, which take about as long to lay
# out as this many chronology rows; it takes that many fewer rows, so both parts end together.
FRONT_MATTER_ROWS = 300
REST_TEMPLATE = "reporting/pack/rest.html"


def pack_html(template: str, context: dict) -> tuple[str, str | None]:
    """The pack's HTML: one document, or the main part and the rest when the chronology is long."""
    from django.template.loader import render_to_string

    entries = context["entries"]
    if len(entries) < PARALLEL_MIN_ROWS or (os.cpu_count() or 1) < 2:
        return render_to_string(template, context), None
    split = max(1, (len(entries) - FRONT_MATTER_ROWS) // 2)
    main_html = render_to_string(template, {**context, "chron_rows": entries[:split]})
    rest_html = render_to_string(REST_TEMPLATE, {**context, "chron_rows": entries[split:]})
    return main_html, rest_html


def _lay_out(main_html: str, rest_html: str | None) -> RenderedPDF:
    return html_to_pdf(main_html) if rest_html is None else html_parts_to_pdf(main_html, rest_html)


def pack_to_pdf(template: str, context: dict) -> RenderedPDF:
    """The pack's PDF from its template and context, in two parts when the chronology is long."""
    return _lay_out(*pack_html(template, context))


# --- A time limit on the layout ------------------------------------------------------------------


class LayoutTimeLimitExceeded(Exception):
    """The layout ran past its time limit and was stopped."""


class LayoutStopped(Exception):
    """The layout process ended without a result (killed from outside, or out of memory)."""


_PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    """In a forked child: be killed when the parent dies (Linux), so a worker killed with -9 leaves
    no layout running on; elsewhere the parent's time limit and the child's alarm still hold."""
    parent = os.getppid()
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(1)


def _portable(error: BaseException) -> BaseException:
    """An exception the parent can unpickle: WeasyPrint's own may not be."""
    try:
        pickle.loads(pickle.dumps(error))  # noqa: S301  # our own object, round-tripped
    except Exception:  # noqa: BLE001
        return RuntimeError(f"{type(error).__name__}: {error}")
    return error


def _receive_within(fd: int, deadline: float, heartbeat: Callable[[], None] | None, heartbeat_seconds: float) -> object:
    """Read one message from the child, beating the heartbeat while waiting; stop at the deadline."""
    buffer = bytearray()
    size: int | None = None
    next_beat = time.monotonic() + heartbeat_seconds
    while True:
        now = time.monotonic()
        if now >= deadline:
            raise LayoutTimeLimitExceeded
        if heartbeat is not None and now >= next_beat:
            heartbeat()
            next_beat = now + heartbeat_seconds
        wait = min(deadline, next_beat) - now if heartbeat is not None else deadline - now
        ready, _, _ = select.select([fd], [], [], max(0.0, wait))
        if not ready:
            continue
        chunk = os.read(fd, 1 << 20)
        if not chunk:
            raise LayoutStopped("The layout process stopped before it finished.")
        buffer += chunk
        if size is None and len(buffer) >= 8:
            (size,) = struct.unpack("!Q", bytes(buffer[:8]))
        if size is not None and len(buffer) >= 8 + size:
            return pickle.loads(bytes(buffer[8 : 8 + size]))  # noqa: S301  # our own forked child, over our own pipe


def pack_to_pdf_bounded(
    template: str,
    context: dict,
    *,
    seconds: float,
    heartbeat: Callable[[], None] | None = None,
    heartbeat_seconds: float = 10.0,
) -> RenderedPDF:
    """pack_to_pdf, laid out in a child process that is killed after `seconds`.

    Raises LayoutTimeLimitExceeded when the limit passes, LayoutStopped when the child ends without
    a result, and the child's own exception when the layout fails. The child gets only the HTML
    (rendered here), never the database connection."""
    if seconds <= 0:
        raise LayoutTimeLimitExceeded
    main_html, rest_html = pack_html(template, context)
    deadline = time.monotonic() + seconds
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child's coverage is not collected
        status = 1
        try:
            _die_with_parent()
            for number in (signal.SIGTERM, signal.SIGINT, signal.SIGALRM, signal.SIGUSR1):
                signal.signal(number, signal.SIG_DFL)
            signal.alarm(int(seconds) + 30)  # a backstop should the parent be stopped, not killed
            os.close(read_end)
            rendered = _lay_out(main_html, rest_html)
            _send(write_end, rendered)
            status = 0
        except BaseException as error:  # noqa: BLE001  # report anything to the parent
            with contextlib.suppress(Exception):
                _send(write_end, _portable(error))
        finally:
            os._exit(status)
    os.close(write_end)
    try:
        answer = _receive_within(read_end, deadline, heartbeat, heartbeat_seconds)
    finally:
        os.close(read_end)
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, 0)
    if isinstance(answer, BaseException):
        raise answer
    if not isinstance(answer, RenderedPDF):
        raise LayoutStopped("The layout process sent something unexpected.")
    return answer
