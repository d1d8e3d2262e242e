"""HTML to PDF with WeasyPrint, through the locked-down fetcher."""

from __future__ import annotations

from dataclasses import dataclass

from weasyprint import HTML

from reporting.pdf.fetcher import PACK_BASE_URL, StaticOnlyURLFetcher


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
