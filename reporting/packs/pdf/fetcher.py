"""A WeasyPrint URL fetcher that serves our own static files and nothing else.

A pack is rendered from templates that hold case data typed by many people. Whatever a field
contains, the renderer must not reach the network or read files outside our static folders: no
http(s), no ftp, no data: URLs, no file:// paths except the pack's static prefix, which maps to
the static files Django knows about (STATICFILES_DIRS in development, STATIC_ROOT once collected).
"""

from __future__ import annotations

import mimetypes
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from weasyprint.urls import URLFetcher, URLFetcherResponse

# Pack templates refer to static files by relative URLs (href="css/print-pack.css"), which
# WeasyPrint resolves against this base.
PACK_BASE_URL = "file:///pack-static/"
ALLOWED_SUFFIXES = frozenset({".css", ".svg", ".png", ".woff", ".woff2", ".ttf", ".otf"})


class RefusedURL(ValueError):
    """The pack asked for something other than one of our static files."""


def static_path_for(url: str) -> Path:
    """The file behind a pack static URL, or RefusedURL."""
    if not url.startswith(PACK_BASE_URL):
        raise RefusedURL(f"Packs may load only the service's own static files, not {url[:200]!r}.")
    parts = urlsplit(url)
    relative = unquote(parts.path)[len("/pack-static/") :]
    pure = PurePosixPath(relative)
    if not relative or pure.is_absolute() or any(part in ("", ".", "..") for part in relative.split("/")):
        raise RefusedURL(f"Not a plain static file path: {relative[:200]!r}.")
    if pure.suffix.lower() not in ALLOWED_SUFFIXES:
        raise RefusedURL(f"Packs do not load {pure.suffix or 'extensionless'} files.")
    found = finders.find(relative) if settings.DEBUG or getattr(settings, "WHITENOISE_USE_FINDERS", False) else None
    if not found and settings.STATIC_ROOT:
        root = Path(settings.STATIC_ROOT).resolve()
        candidate = (root / relative).resolve()
        if candidate.is_relative_to(root) and candidate.is_file():
            found = str(candidate)
    if not found:
        raise RefusedURL(f"No such static file: {relative[:200]!r}.")
    return Path(found)


class StaticOnlyURLFetcher(URLFetcher):  # type: ignore[misc]  # WeasyPrint ships no type hints
    """Serves PACK_BASE_URL/<path> from our static files; refuses every other URL."""

    def __init__(self) -> None:
        super().__init__(allowed_protocols=("file",), allow_redirects=False, fail_on_errors=False)
        self.refused: list[str] = []

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        try:
            path = static_path_for(url)
        except RefusedURL:
            self.refused.append(url)
            raise
        mime, _ = mimetypes.guess_type(path.name)
        headers = {"Content-Type": mime or "application/octet-stream"}
        return URLFetcherResponse(url, body=path.read_bytes(), headers=headers)
