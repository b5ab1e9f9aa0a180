"""A real browser for the site's tests: Debian's Chromium driven by Playwright, and axe-core to check pages.

Chromium is the system's (`make install` puts Debian's package there); Playwright never downloads a
browser. Each launch gets a fresh profile folder of Playwright's own (it refuses --user-data-dir), and the
flags keep Chromium from calling home on this closed network. axe-core is installed by `make install`
into tests/e2e/vendor (git-ignored). Screenshots of each page state go to tests/e2e/screenshots.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
AXE = ROOT / "tests" / "e2e" / "vendor" / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "tests" / "e2e" / "screenshots"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",  # CI runs as root
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# What axe checks: WCAG 2.0, 2.1 and 2.2 at levels A and AA, and its best practices.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
# The focus style of site.css: a yellow band (rgb(255, 221, 0)).
FOCUS_COLOUR = "rgb(255, 221, 0)"


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One headless Chromium for the session."""
    from playwright.sync_api import sync_playwright

    if not CHROMIUM.exists():
        pytest.fail(f"no Chromium at {CHROMIUM}: run `make install` (it installs Debian's chromium)")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def _context(browser: Any, javascript: bool, width: int = 1024) -> Any:
    context = browser.new_context(java_script_enabled=javascript, viewport={"width": width, "height": 900})
    context.set_default_timeout(20_000)
    return context


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A tab with JavaScript on, collecting what the console reports (a CSP refusal shows there)."""
    context = _context(browser, javascript=True)
    tab = context.new_page()
    tab.console_messages = []  # type: ignore[attr-defined]
    tab.on("console", lambda message: tab.console_messages.append(message.text))  # type: ignore[attr-defined]
    yield tab
    context.close()


@pytest.fixture
def page_without_js(browser: Any) -> Iterator[Any]:
    """A tab with JavaScript off, as some boards' browsers are."""
    context = _context(browser, javascript=False)
    yield context.new_page()
    context.close()


def screenshot(page: Any, state: str) -> Path:
    """Save the whole page as tests/e2e/screenshots/<state>.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{re.sub(r'[^a-z0-9-]+', '-', state.lower())}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """What axe-core finds wrong on the page as it is now (an empty list: nothing)."""
    if not AXE.exists():
        pytest.fail(f"no axe-core at {AXE}: run `make install` (it installs axe-core from npm)")
    # Evaluated through the DevTools protocol, so the page's own CSP (scripts only from the product) allows it.
    page.evaluate(AXE.read_text(encoding="utf-8") + "\n;undefined")
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})", AXE_TAGS
    )
    return [
        {
            "id": violation["id"],
            "impact": violation["impact"],
            "help": violation["help"],
            "nodes": [node["target"] for node in violation["nodes"]][:5],
        }
        for violation in result["violations"]
    ]


def check_page(page: Any, state: str) -> None:
    """The page state passes axe-core with no violation, reads at 320 px without scrolling sideways, and
    its screenshot is saved (also at 320 px, and as printed)."""
    screenshot(page, state)
    violations = axe_violations(page)
    assert violations == [], f"axe-core on {state}: {violations}"
    size = page.viewport_size
    page.set_viewport_size({"width": 320, "height": 640})
    overflow = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
    screenshot(page, f"{state}-320px")
    page.set_viewport_size(size)
    assert overflow <= 0, f"{state} scrolls sideways by {overflow} px at 320 px wide"
    page.emulate_media(media="print")
    assert page.locator(".site-header").is_hidden(), f"{state} prints the site's header"
    screenshot(page, f"{state}-print")
    page.emulate_media(media="screen")


def check_page_without_js(page_without_js: Any, browser: Any, state: str) -> None:
    """The page as a browser without JavaScript shows it, checked as `check_page` checks a page.

    axe-core cannot run where scripts are off (its timers never fire), so the document that browser
    built (its <noscript> content in place, no script: a meta refresh there is a real one) is shown,
    at the same address so that its stylesheet applies, in a tab that can run axe; the page is not
    asked for again (a status page would have moved on).
    """
    rendered = page_without_js.content()
    as_built = re.sub(r"</?noscript>", "", re.sub(r"<script\b[^>]*>.*?</script>", "", rendered, flags=re.S))
    address = page_without_js.url
    context = _context(browser, javascript=True)
    try:
        tab = context.new_page()
        tab.route(
            lambda url: url == address,
            lambda route: route.fulfill(status=200, content_type="text/html; charset=utf-8", body=as_built),
        )
        tab.goto(address)
        check_page(tab, state)
    finally:
        context.close()


def focus_is_visible(page: Any) -> bool:
    """Whether the focused element shows the site's focus style (its background or outline is the yellow)."""
    style = page.evaluate(
        "() => { const s = getComputedStyle(document.activeElement);"
        " return [s.backgroundColor, s.outlineColor, s.outlineStyle]; }"
    )
    background, outline, outline_style = style
    return FOCUS_COLOUR in (background, outline if outline_style != "none" else "")


def _tab_until(page: Any, reached: Callable[[], bool], what: str, limit: int) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if reached():
            assert focus_is_visible(page), f"{what} has the focus but does not show it"
            return
    raise AssertionError(f"Tab never reached {what}")


def tab_to(page: Any, element_id: str, limit: int = 80) -> None:
    """Press Tab until the element with this id has the focus, each step showing where the focus is."""
    focused = "() => document.activeElement && document.activeElement.id"
    _tab_until(page, lambda: page.evaluate(focused) == element_id, f"#{element_id}", limit)


def tab_to_link(page: Any, name: str, limit: int = 80) -> None:
    """Press Tab until the link named `name` (its aria-label, else its words) has the focus, and shows it."""
    focused = (
        "() => { const e = document.activeElement; if (!e || e.tagName !== 'A') return null;"
        " return (e.getAttribute('aria-label') || e.textContent).replace(/\\s+/g, ' ').trim(); }"
    )
    _tab_until(page, lambda: page.evaluate(focused) == name, f"the link {name!r}", limit)
