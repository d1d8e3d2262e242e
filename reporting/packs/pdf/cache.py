"""The layout cache of pack parts: one PDF file per part key under MEDIA_ROOT/cache/pack-parts.

A part's key is the SHA-256 of what it shows (reporting.packs.pdf.parts.part_key), so a file found
under a key is exactly the layout that part would get now. Each file sits beside a small JSON file
with its page count and the page each contents anchor falls on. Files are written to a temporary
name and moved into place, so a reader never sees half a file, and two workers writing the same
key write the same bytes. A file's modification time is its last use: every hit touches it, and
when the cache is over PACK_CHUNK_CACHE_MAX_MB the least recently used files go first.

The files hold what packs hold (personal information, restricted entries as placeholders only),
under the same media folder as the packs themselves; they are never served.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class LaidOutPart:
    """A part's PDF, its page count, and the page (0-based, within the part) of each anchor it holds."""

    content: bytes
    page_count: int
    anchors: dict[str, int]
    # Links to anchors in other parts (the cover's contents): (page, anchor, x1, y1, x2, y2) in PDF
    # points from the page's bottom left. Not kept in the cache (the cover is never cached).
    links: tuple[tuple[int, str, float, float, float, float], ...] = ()


class PartCache:
    def __init__(self, directory: Path, max_bytes: int) -> None:
        self.directory = directory
        self.max_bytes = max_bytes

    @classmethod
    def default(cls) -> PartCache:
        from django.conf import settings

        return cls(
            Path(settings.MEDIA_ROOT) / "cache" / "pack-parts",
            int(settings.PACK_CHUNK_CACHE_MAX_MB) * 1024 * 1024,
        )

    def _paths(self, key: str) -> tuple[Path, Path]:
        if len(key) != 64 or any(c not in "0123456789abcdef" for c in key):
            raise ValueError("A part key is a SHA-256 in hex.")
        folder = self.directory / key[:2]
        return folder / f"{key}.pdf", folder / f"{key}.json"

    def get(self, key: str) -> LaidOutPart | None:
        """The cached layout of a part, or None; a hit counts as a use."""
        pdf, meta = self._paths(key)
        try:
            info = json.loads(meta.read_text(encoding="utf-8"))
            content = pdf.read_bytes()
        except (OSError, ValueError):
            return None
        if len(content) != info.get("size"):
            return None
        with contextlib.suppress(OSError):
            os.utime(pdf)
            os.utime(meta)
        return LaidOutPart(content=content, page_count=int(info["pages"]), anchors=dict(info.get("anchors", {})))

    def put(self, key: str, part: LaidOutPart) -> None:
        """Keep a part's layout. A cache that cannot be written is logged and skipped: the pack is
        built all the same."""
        pdf, meta = self._paths(key)
        info = {"pages": part.page_count, "anchors": part.anchors, "size": len(part.content)}
        try:
            pdf.parent.mkdir(parents=True, exist_ok=True)
            self._write(pdf, part.content)
            self._write(meta, json.dumps(info).encode())
        except OSError as exc:
            logger.warning("The pack layout cache could not be written: %s", exc.strerror or exc)

    @staticmethod
    def _write(path: Path, data: bytes) -> None:
        fd, temp = tempfile.mkstemp(prefix=".part-", suffix=".partial", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(temp, path)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise

    def size_bytes(self) -> int:
        return sum(size for _, size, _ in self._entries())

    def _entries(self) -> list[tuple[float, int, str]]:
        """(last used, bytes, key) of every cached part."""
        found: list[tuple[float, int, str]] = []
        if not self.directory.is_dir():
            return found
        for pdf in self.directory.glob("*/*.pdf"):
            try:
                stat = pdf.stat()
                meta = pdf.with_suffix(".json").stat()
            except OSError:
                continue
            found.append((stat.st_mtime, stat.st_size + meta.st_size, pdf.stem))
        return found

    def evict(self) -> int:
        """Remove the least recently used parts until the cache is within its bound; how many went."""
        entries = sorted(self._entries())
        total = sum(size for _, size, _ in entries)
        removed = 0
        for _, size, key in entries:
            if total <= self.max_bytes:
                break
            pdf, meta = self._paths(key)
            meta.unlink(missing_ok=True)
            pdf.unlink(missing_ok=True)
            total -= size
            removed += 1
        return removed
