"""A reader's journey in headless Chromium: sign up → sign in → open a story → read → save →
search → an editor pins a pick → it shows on home → the saved article reads offline. axe-core
checks every page on the way, and no page may break the Content Security Policy."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import AXE

pytestmark = [pytest.mark.browser, pytest.mark.slow]
PASSWORD = "correct horse battery"
SERIOUS = {"serious", "critical"}


class Checked:
    """A page wrapper that runs axe-core after each navigation and keeps console errors."""

    def __init__(self, page: Any, base: str) -> None:
        self.page, self.base = page, base
        self.axe = AXE.read_text(encoding="utf-8")
        self.errors: list[str] = []
        self.checked: list[str] = []
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)

    def goto(self, path: str) -> None:
        self.page.goto(self.base + path)
        self.audit()

    def audit(self) -> None:
        self.page.wait_for_load_state("load")
        self.page.evaluate(self.axe)  # evaluated by the driver: the page's CSP does not apply
        result = self.page.evaluate(
            "axe.run(document, {resultTypes: ['violations']}).then(r => r.violations"
            ".map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target)})))"
        )
        bad = [v for v in result if v["impact"] in SERIOUS]
        assert not bad, f"{self.page.url}: {json.dumps(bad, indent=1)}"
        self.checked.append(self.page.url)


def test_reader_journey(browser: Any, live: str, tmp_path: Path) -> None:
    context = browser.new_context(base_url=live)
    page = context.new_page()
    ui = Checked(page, live)

    ui.goto("/")
    assert page.locator("h1").first.inner_text() == "Top stories"
    ui.goto("/signup")
    page.fill("#email", "ada@example.org")
    page.fill("#password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(live + "/")
    page.click("text=Sign out")
    page.wait_for_url(live + "/")
    ui.goto("/signin")
    page.fill("#email", "ada@example.org")
    page.fill("#password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(live + "/")
    ui.audit()
    assert page.is_visible("text=Sign out")

    # Keyboard: j selects the first item, ? opens the help.
    page.keyboard.press("j")
    assert page.locator("main .item.selected").count() == 1
    page.keyboard.press("?")
    assert page.is_visible("#help")
    page.keyboard.press("Escape")

    # Open the top story, then read one of its articles.
    page.click(".story-card h2 a")
    page.wait_for_url("**/stories/*")
    ui.audit()
    assert "Full coverage" in page.content()
    page.click(".timeline-list a")
    page.wait_for_url("**/articles/*")
    ui.audit()
    article_url = page.url
    title = page.locator("article.reading h1").inner_text()
    assert "olcano" in title

    # Save it with the keyboard shortcut: htmx swaps the button in place, no page load.
    page.evaluate("window.stayedOnPage = true")
    page.keyboard.press("s")
    page.wait_for_selector("article.reading[data-saved]")
    page.wait_for_selector("form.save[data-saved] >> text=Saved")
    assert page.evaluate("window.stayedOnPage === true")
    ui.audit()

    # Search from the masthead.
    page.fill("#masthead-q", "lava")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search?q=lava*")
    ui.audit()
    assert page.locator("main mark").count() >= 1

    # The first account is admin, so an editor too: pin the article as a pick.
    page.goto(article_url)
    page.click("text=Pin as a pick")
    page.wait_for_url("**/admin?article=*")
    ui.audit()
    page.fill("#pick-note", "The clearest account of the eruption")
    page.click("#pick-form button[type=submit]")
    page.wait_for_url("**/admin*")
    ui.goto("/")
    assert page.is_visible("text=The clearest account of the eruption")

    for path in ("/saved", "/history", "/settings", "/settings/tokens", "/sources", "/topics",
                 "/topics/science", "/reset", "/search?q=volcano&order=date"):  # fmt: skip
        ui.goto(path)

    # Offline: the service worker and the saved copy carry the article.
    ui.goto("/saved")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.wait_for_function(
        "caches.open('broadsheet-saved').then(c => c.keys()).then(k => k.length >= 2)"
    )
    page.reload()  # now controlled by the service worker
    page.wait_for_function("navigator.serviceWorker.controller !== null")
    context.set_offline(True)
    page.goto(article_url)
    assert page.locator("article.reading h1").inner_text() == title
    page.goto(live + "/articles/999999")
    assert "You are offline" in page.content()
    context.set_offline(False)

    csp = [e for e in ui.errors if "Content Security Policy" in e]
    assert not csp, csp
    assert len(ui.checked) >= 12
    context.close()


def test_dark_mode_toggle_and_signed_out_pages(browser: Any, live: str) -> None:
    context = browser.new_context(base_url=live, color_scheme="light")
    page = context.new_page()
    ui = Checked(page, live)
    ui.goto("/")
    light = page.evaluate("getComputedStyle(document.body).backgroundColor")
    page.click("text=Dark mode")
    page.wait_for_selector("html[data-theme=dark]")
    ui.audit()
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") != light
    page.click(".story-card h2 a")
    ui.audit()
    for path in ("/signin", "/signup", "/search?q=harbour", "/offline"):
        ui.goto(path)
    context.close()
