"""Build one queued pack in a fresh process, so its peak memory is the pack's own.

    python -m bench.pack_one build PACK_ID          -> prints {"seconds", "status", "pages", "error", "detail"}
    python -m bench.pack_one plain PACK_ID          -> prints {"seconds", "pages"}: plain WeasyPrint, one document
    python -m bench.pack_one html PACK_ID OUT.html  -> writes the pack's HTML for Chromium (no PDF)

The runner reads this process's peak resident memory from os.wait4.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path


def main(argv: list[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from reporting.packs.models import Pack

    mode, pack_id = argv[0], int(argv[1])
    if mode == "build":
        # Imported before the clock starts, as a worker has them after its first pack: importing
        # WeasyPrint takes about a second, once a process, not once a pack.
        import reporting.packs.pdf.context
        import reporting.packs.pdf.render  # noqa: F401
        from reporting.packs.services import pack_build

        started = time.perf_counter()
        pack_build(pack_id=pack_id)
        seconds = time.perf_counter() - started
        pack = Pack.objects.get(pk=pack_id)
        from audit.models import AuditEvent

        event = AuditEvent.objects.filter(action="pack.generated", object_id=str(pack.pk)).first()
        result = {"seconds": seconds, "status": pack.status, "pages": pack.page_count, "error": pack.error[:500]}
        print(json.dumps({**result, "detail": event.detail if event else {}}))
        return 0
    if mode == "plain":
        from reporting.packs.pdf.context import build_pack_context
        from reporting.packs.pdf.parts import full_html
        from reporting.packs.pdf.render import html_to_pdf

        pack = Pack.objects.select_related("case", "case__lead_agency", "case__lead_professional", "generated_by").get(
            pk=pack_id
        )
        html = full_html(build_pack_context(pack))
        started = time.perf_counter()
        rendered = html_to_pdf(html)
        print(json.dumps({"seconds": time.perf_counter() - started, "pages": rendered.page_count}))
        return 0
    if mode == "html":
        from django.conf import settings

        from reporting.packs.pdf.context import build_pack_context
        from reporting.packs.pdf.fetcher import PACK_BASE_URL
        from reporting.packs.pdf.parts import full_html

        pack = Pack.objects.select_related("case", "case__lead_agency", "case__lead_professional", "generated_by").get(
            pk=pack_id
        )
        html = full_html(build_pack_context(pack))
        # The same document, with its relative static URLs resolved against our static folder.
        static = Path(settings.BASE_DIR, "static").resolve().as_uri() + "/"
        html = html.replace("<head>", f'<head><base href="{static}">', 1).replace(PACK_BASE_URL, static)
        Path(argv[2]).write_text(html, encoding="utf-8")
        print(json.dumps({"bytes": len(html)}))
        return 0
    print(f"unknown mode {mode!r}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
