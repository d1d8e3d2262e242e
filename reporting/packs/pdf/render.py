"""HTML to PDF with WeasyPrint, through the locked-down fetcher, a pack at a time in parts.

A pack is laid out in parts (reporting.packs.pdf.parts): the front matter, the chronology in chunks
of a calendar quarter (or month), the decisions page, and the cover. Every part but the cover is
kept in a layout cache keyed by what it shows (reporting.packs.pdf.cache), so a re-print lays out
only the parts that changed, and the cover. The parts not in the cache are laid out at once across
the machine's cores (this process and forked children, each given parts of about the same size);
then the cover, whose contents give the page of each section; then the parts are joined with pikepdf
and every page is stamped "Page N of M" across the whole pack (reporting.packs.pdf.stamp).

Every pack is laid out in a child process with a time limit (`pack_to_pdf_bounded`): WeasyPrint
cannot be interrupted from inside, so the child is killed when the limit passes, on a Celery worker
and in the embedded default alike. While it waits, the parent calls a heartbeat so a sweeper can
tell a build that is alive from one whose worker died. A child dies with its parent, and so do the
children it forks to lay out parts.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import pickle
import select
import signal
import struct
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from weasyprint import HTML

from reporting.packs.pdf.cache import LaidOutPart, PartCache
from reporting.packs.pdf.fetcher import PACK_BASE_URL, StaticOnlyURLFetcher
from reporting.packs.pdf.parts import Part, cover_part, pack_parts
from reporting.packs.pdf.stamp import join_and_number


@dataclass(frozen=True)
class RenderedPDF:
    content: bytes
    page_count: int
    refused_urls: tuple[str, ...]
    # The parts laid out for this pack, and those whose layout came from the cache (by name).
    parts_laid_out: tuple[str, ...] = field(default=())
    parts_reused: tuple[str, ...] = field(default=())


def html_to_pdf(html: str) -> RenderedPDF:
    fetcher = StaticOnlyURLFetcher()
    document = HTML(string=html, base_url=PACK_BASE_URL, url_fetcher=fetcher, media_type="print").render()
    content = document.write_pdf()
    return RenderedPDF(content=content, page_count=len(document.pages), refused_urls=tuple(fetcher.refused))


PT_PER_PX = 0.75


def lay_out_part(html: str, anchors: Sequence[str] = ()) -> tuple[LaidOutPart, tuple[str, ...]]:
    """One part's PDF, with the page (within the part) of each of `anchors` it holds."""
    fetcher = StaticOnlyURLFetcher()
    document = HTML(string=html, base_url=PACK_BASE_URL, url_fetcher=fetcher, media_type="print").render()
    found: dict[str, int] = {}
    wanted = set(anchors)
    links: list[tuple[int, str, float, float, float, float]] = []
    for index, page in enumerate(document.pages):
        for name in page.anchors:
            if name in wanted:
                found.setdefault(name, index)
        for kind, target, (x1, y1, x2, y2), _ in page.links:
            if kind == "internal" and target not in page.anchors:
                # CSS px from the top left to PDF points from the bottom left.
                height = page.height * PT_PER_PX
                links.append(
                    (index, target, x1 * PT_PER_PX, height - y2 * PT_PER_PX, x2 * PT_PER_PX, height - y1 * PT_PER_PX)
                )
    laid_out = LaidOutPart(
        content=document.write_pdf(), page_count=len(document.pages), anchors=found, links=tuple(links)
    )
    return laid_out, tuple(fetcher.refused)


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
                raise EOFError("A layout process stopped before it finished.")
            chunks.append(chunk)
            left -= len(chunk)
        return b"".join(chunks)

    (size,) = struct.unpack("!Q", exactly(8))
    return pickle.loads(exactly(size))  # noqa: S301  # our own forked child, over our own pipe


def _share_out(parts: Sequence[Part], processes: int) -> list[list[int]]:
    """The parts' indexes shared among `processes`, largest first to the least loaded (by HTML size)."""
    loads = [0] * processes
    shares: list[list[int]] = [[] for _ in range(processes)]
    for index in sorted(range(len(parts)), key=lambda i: -len(parts[i].html)):
        least = loads.index(min(loads))
        shares[least].append(index)
        loads[least] += len(parts[index].html)
    return [sorted(share) for share in shares if share]


def _lay_out_share(parts: Sequence[Part], share: list[int]) -> dict[int, tuple[LaidOutPart, tuple[str, ...]]]:
    return {index: lay_out_part(parts[index].html, parts[index].anchors) for index in share}


def lay_out_parts(parts: Sequence[Part], processes: int | None = None) -> list[tuple[LaidOutPart, tuple[str, ...]]]:
    """Lay out every part, spread over `processes` (default: the machine's cores): this process
    takes one share and a forked child each of the others; results in the parts' order."""
    count = max(1, min(processes or os.cpu_count() or 1, len(parts)))
    shares = _share_out(parts, count)
    children: list[tuple[int, int]] = []
    results: dict[int, tuple[LaidOutPart, tuple[str, ...]]] = {}
    try:
        for share in shares[1:]:
            read_end, write_end = os.pipe()
            pid = os.fork()
            if pid == 0:  # pragma: no cover - the child's coverage is not collected
                status = 1
                try:
                    _die_with_parent()
                    os.close(read_end)
                    _send(write_end, _lay_out_share(parts, share))
                    status = 0
                except BaseException as error:  # noqa: BLE001  # report anything to the parent
                    with contextlib.suppress(Exception):
                        _send(write_end, _portable(error))
                finally:
                    os._exit(status)
            os.close(write_end)
            children.append((pid, read_end))
        if shares:
            results.update(_lay_out_share(parts, shares[0]))
        for _, read_end in children:
            answer = _receive(read_end)
            if isinstance(answer, BaseException):
                raise answer
            results.update(answer)  # type: ignore[call-overload]
    finally:
        for pid, read_end in children:
            os.close(read_end)
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, 0)
    return [results[index] for index in range(len(parts))]


# A token in the cover's HTML where each contents line's page number goes, filled in once the other
# parts are laid out. Text from the case is escaped, so it cannot hold the quoted attribute.
def _page_token(anchor: str) -> str:
    return f"pack-page-of-{anchor}"


@dataclass
class PackPlan:
    """Everything the layout process needs, as HTML: made in the parent, which keeps the database."""

    parts: list[Part]
    cover_html: str
    title: str
    author: str
    cached: dict[str, LaidOutPart]


@dataclass
class PackLayout:
    rendered: RenderedPDF
    new_parts: dict[str, LaidOutPart]


def plan_pack(context: dict[str, Any], cache: PartCache | None) -> PackPlan:
    parts = pack_parts(context)
    anchors = {anchor for part in parts for anchor in part.anchors}
    cover = cover_part(context, {anchor: _page_token(anchor) for anchor in anchors})  # type: ignore[misc]
    cached: dict[str, LaidOutPart] = {}
    if cache is not None:
        for part in parts:
            if part.key is not None and part.key not in cached:
                hit = cache.get(part.key)
                if hit is not None:
                    cached[part.key] = hit
    return PackPlan(
        parts=parts,
        cover_html=cover.html,
        title=str(context.get("running_title") or ""),
        author=str(context.get("generated_by") or ""),
        cached=cached,
    )


def lay_out_pack(plan: PackPlan, processes: int | None = None) -> PackLayout:
    """Lay out the parts not in the cache (in parallel), then the cover, and join them numbered."""
    missing: list[Part] = []
    for part in plan.parts:
        if part.key is None or (part.key not in plan.cached and all(part.key != m.key for m in missing)):
            missing.append(part)
    refused: list[str] = []
    new_parts: dict[str, LaidOutPart] = {}
    for part, (laid_out, part_refused) in zip(missing, lay_out_parts(missing, processes), strict=True):
        refused += part_refused
        if part.key is not None:
            new_parts[part.key] = laid_out
    layouts = [plan.cached.get(part.key or "") or new_parts[part.key or ""] for part in plan.parts]

    cover_pages = 1
    while True:
        pages: dict[str, int] = {}
        start = cover_pages + 1
        for layout in layouts:
            for anchor, index in layout.anchors.items():
                pages.setdefault(anchor, start + index)
            start += layout.page_count
        html = plan.cover_html
        for anchor, number in pages.items():
            html = html.replace(f'data-page="{_page_token(anchor)}"', f'data-page="{number}"')
        cover, cover_refused = lay_out_part(html)
        if cover.page_count == cover_pages or cover.page_count < 1:
            break
        cover_pages = cover.page_count  # a cover that ran over a page: number the contents again
    refused += cover_refused
    # The cover's contents link to the pages their sections start on.
    links = [
        (page, (x1, y1, x2, y2), pages[anchor] - 1) for page, anchor, x1, y1, x2, y2 in cover.links if anchor in pages
    ]
    content, total = join_and_number(
        [cover.content, *(layout.content for layout in layouts)], title=plan.title, author=plan.author, links=links
    )
    laid_out = ("cover", *(part.name for part in missing))
    reused = tuple(part.name for part in plan.parts if part.key in plan.cached)
    rendered = RenderedPDF(
        content=content,
        page_count=total,
        refused_urls=tuple(dict.fromkeys(refused)),
        parts_laid_out=laid_out,
        parts_reused=reused,
    )
    return PackLayout(rendered=rendered, new_parts=new_parts)


def _keep(cache: PartCache | None, layout: PackLayout) -> None:
    if cache is None:
        return
    for key, part in layout.new_parts.items():
        cache.put(key, part)
    if layout.new_parts:
        cache.evict()


def pack_to_pdf(context: dict[str, Any], *, cache: PartCache | None = None) -> RenderedPDF:
    """The pack's PDF from its context, laid out here (and in forked children), with no time limit."""
    layout = lay_out_pack(plan_pack(context, cache))
    _keep(cache, layout)
    return layout.rendered


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
    context: dict[str, Any],
    *,
    seconds: float,
    heartbeat: Callable[[], None] | None = None,
    heartbeat_seconds: float = 10.0,
    cache: PartCache | None = None,
) -> RenderedPDF:
    """pack_to_pdf, laid out in a child process that is killed after `seconds`.

    Raises LayoutTimeLimitExceeded when the limit passes, LayoutStopped when the child ends without
    a result, and the child's own exception when the layout fails. The child gets only the HTML and
    the cached layouts (read here), never the database connection; the layouts it makes are kept in
    the cache here once it is done."""
    if seconds <= 0:
        raise LayoutTimeLimitExceeded
    plan = plan_pack(context, cache)
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
            _send(write_end, lay_out_pack(plan))
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
    if not isinstance(answer, PackLayout):
        raise LayoutStopped("The layout process sent something unexpected.")
    _keep(cache, answer)
    return answer.rendered
