"""Browser tests: headless Chromium from the system (never a downloaded browser) driven by
Playwright's sync API against pytest-django's live server, with axe-core accessibility checks.

Fixtures for every browser test:
- `browser`: one Chromium for the session.
- `page`: a fresh browser context and page whose relative URLs go to the live server.
- `signed_in_page(user)`: a fresh page signed in as the user through the real sign-in form.
- `assert_accessible(page)`: runs axe-core (WCAG 2.2 A and AA) and fails listing every violation.
- `keyboard_focus(page)`: a short description of the element that has keyboard focus.

Mark browser tests `@pytest.mark.e2e` and give them `pytest.mark.django_db(transaction=True)`:
the live server runs in another thread and only sees committed data.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in the test thread; Django would otherwise refuse
# ORM calls from it (SynchronousOnlyOperation). The calls stay synchronous: this is safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from playwright.sync_api import Browser, Page, sync_playwright  # noqa: E402

from tests.factories import PASSWORD  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE_SCRIPT = ROOT / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
TIMEOUT_MS = 15_000


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: bin/setup installs it (apt package chromium).")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def new_page(browser, live_server) -> Iterator[Callable[[], Page]]:
    """new_page() opens a page in its own browser context (own cookies), aimed at the live server."""
    contexts = []

    def make() -> Page:
        context = browser.new_context(base_url=live_server.url, locale="en-GB", viewport={"width": 1280, "height": 900})
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page) -> Page:
    return new_page()


@pytest.fixture
def signed_in_page(new_page) -> Callable[..., Page]:
    """signed_in_page(user) signs in through the sign-in form, as a person would, and returns the page."""

    def sign_in(user, password: str = PASSWORD) -> Page:
        page = new_page()
        page.goto("/sign-in/")
        page.get_by_label("Username").fill(user.get_username())
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url("**/cases/")
        return page

    return sign_in


def format_violations(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"[{violation['impact']}] {violation['id']}: {violation['help']} ({violation['helpUrl']})")
        for node in violation["nodes"]:
            lines.append(f"    at {' '.join(node['target'])}: {node.get('failureSummary', '').strip()}")
            lines.append(f"       {node['html'][:200]}")
    return "\n".join(lines)


def run_axe(page: Page) -> list[dict]:
    """Inject axe-core into the page and return its WCAG 2.2 A/AA violations."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_SCRIPT.read_text())
    results = page.evaluate(
        "(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        WCAG_TAGS,
    )
    return results["violations"]


@pytest.fixture
def assert_accessible() -> Callable[[Page], None]:
    """assert_accessible(page) fails on ANY axe-core violation of WCAG 2.0/2.1/2.2 A and AA."""
    if not AXE_SCRIPT.exists():
        pytest.fail(f"{AXE_SCRIPT} is missing: run `npm ci` (bin/setup does).")

    def check(page: Page) -> None:
        violations = run_axe(page)
        if violations:
            pytest.fail(
                f"Accessibility violations on {page.url}:\n{format_violations(violations)}",
                pytrace=False,
            )

    return check


@pytest.fixture
def keyboard_focus() -> Callable[[Page], str]:
    """keyboard_focus(page) describes the focused element: 'a.govuk-skip-link', 'input#id_username'."""

    def describe(page: Page) -> str:
        return page.evaluate(
            """() => {
                const el = document.activeElement;
                if (!el || el === document.body) return 'body';
                const tag = el.tagName.toLowerCase();
                if (el.id) return `${tag}#${el.id}`;
                const cls = [...el.classList][0];
                return cls ? `${tag}.${cls}` : tag;
            }"""
        )

    return describe
