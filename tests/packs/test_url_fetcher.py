"""The renderer's URL fetcher serves our static files and refuses everything else."""

import pytest

from reporting.packs.pdf.fetcher import PACK_BASE_URL, RefusedURL, StaticOnlyURLFetcher
from reporting.packs.pdf.render import html_to_pdf


def test_fetcher_serves_the_print_stylesheet():
    response = StaticOnlyURLFetcher().fetch(PACK_BASE_URL + "css/print-pack.css")
    body = response.read()
    assert b"@page" in body
    assert response.headers.get_content_type() == "text/css"


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9/style.css",
        "https://example.org/tracker.png",
        "ftp://example.org/file.css",
        "file:///etc/passwd",
        "file:///etc/hostname.css",
        "file:///pack-static/../etc/passwd",
        "file:///pack-static/%2e%2e/%2e%2e/etc/passwd.css",
        "file:///pack-static/css/../../config/settings.py",
        "file:///pack-static/css/nothing-here.css",
        "data:text/css,body{color:red}",
    ],
)
def test_fetcher_refuses_everything_but_our_static_files(url):
    fetcher = StaticOnlyURLFetcher()
    with pytest.raises(RefusedURL):
        fetcher.fetch(url)
    assert fetcher.refused == [url]


def test_fetcher_refuses_static_files_of_kinds_a_pack_does_not_load():
    with pytest.raises(RefusedURL):
        StaticOnlyURLFetcher().fetch(PACK_BASE_URL + "js/pack-progress.js")


def test_rendering_loads_nothing_from_outside(tmp_path):
    secret = tmp_path / "secret.css"
    secret.write_text("body { background: red }")
    html = f"""<html><head>
      <link rel="stylesheet" href="http://127.0.0.1:9/remote.css">
      <link rel="stylesheet" href="file://{secret}">
      <link rel="stylesheet" href="css/print-pack.css">
    </head><body><p>Text</p><img src="https://example.org/pixel.png" alt=""></body></html>"""
    rendered = html_to_pdf(html)
    assert rendered.content.startswith(b"%PDF-")
    assert set(rendered.refused_urls) == {
        "http://127.0.0.1:9/remote.css",
        f"file://{secret}",
        "https://example.org/pixel.png",
    }
