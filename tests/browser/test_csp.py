"""The Content-Security-Policy in Chromium: the dashboard, every kind of chart (drawn, hovered for its
tooltip) and the collection pages of a submitter and a reviewer run with zero violations.

Violations are read twice: from the `securitypolicyviolation` events the page fires (a listener installed
before any of the page's scripts) and from the console, where Chromium reports every refused script, style,
eval or connection."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from shihyo.web.csp import POLICY
from tests.browser.conftest import PAGES, Web
from tests.browser.test_collection import (  # noqa: F401  (the collection server's fixtures)
    collection_server,
    shihyo,
    sign_in,
    submission_path,
)

LISTENER = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", function (event) {
  window.__violations.push(event.violatedDirective + " " + (event.blockedURI || "inline") + " " +
    (event.sourceFile || "") + ":" + event.lineNumber);
});
"""


class Watched:
    """Pages whose CSP violations and console reports are collected."""

    def __init__(self, web: Web) -> None:
        self.web = web
        self.console: list[str] = []
        self.pages: list[Page] = []

    def watch(self, page: Page) -> Page:
        page.add_init_script(LISTENER)
        page.on(
            "console",
            lambda message: self.console.append(f"{page.url}: {message.text}")
            if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text
            else None,
        )
        self.pages.append(page)
        return page

    def violations(self, page: Page) -> list[str]:
        found: list[str] = page.evaluate("window.__violations || []")
        return [f"{page.url}: {v}" for v in found]


@pytest.fixture
def collection_web(chromium: Browser, collection_server: str) -> Iterator[Web]:  # noqa: F811
    helper = Web(chromium, collection_server)
    try:
        yield helper
    finally:
        helper.close()


def visit(watched: Watched, page: Page, path: str) -> list[str]:
    response = page.goto(path, wait_until="load")
    assert response is not None and response.ok, path
    assert response.headers.get("content-security-policy") == POLICY, path
    watched.web.settle(page)
    chart = page.locator("#chart svg .role-mark")
    if chart.count():  # hover a mark: the tooltip is drawn, with its styles from app.css
        chart.first.hover(force=True)
        page.wait_for_timeout(150)
    return watched.violations(page)


def test_dashboard_pages_and_charts_have_no_csp_violations(web: Web) -> None:
    watched = Watched(web)
    found: list[str] = []
    for lang in ("ja", "en"):
        page = watched.watch(web.new_page(lang))
        for path in PAGES.values():
            found += visit(watched, page, path)
        assert page.locator("#chart svg").count() == 1, "the last indicator page drew its chart"
    assert found == [] and watched.console == [], "\n".join(found + watched.console)
    web.assert_clean()


def test_collection_pages_of_a_submitter_and_a_reviewer_have_no_csp_violations(
    collection_web: Web, artifacts: Path
) -> None:
    watched = Watched(collection_web)
    found: list[str] = []
    login = watched.watch(collection_web.new_page("ja"))
    found += visit(watched, login, "/login/")

    clerk = sign_in(collection_web, "ward_a_clerk", "/collection/")
    watched.watch(clerk)
    form = submission_path("r4-look", "ward_a")
    for path in ("/collection/", "/collection/mini/r4-look/", form):
        found += visit(watched, clerk, path)
    value = clerk.locator("input.value-input").first
    value.fill("12")  # collection.js computes the change as the clerk types
    clerk.wait_for_timeout(150)
    found += watched.violations(clerk)
    found += visit(watched, clerk, "/account/password/")

    reviewer = sign_in(collection_web, "reviewer", "/collection/")
    watched.watch(reviewer)
    for path in ("/collection/", "/collection/mini/r4-look/", submission_path("r4-look", "city"), "/"):
        found += visit(watched, reviewer, path)
    office = sign_in(collection_web, "office", "/accounts/")
    watched.watch(office)
    for path in ("/accounts/", "/collection/new/", "/collection/mini/outbox/"):
        found += visit(watched, office, path)
    assert found == [] and watched.console == [], "\n".join(found + watched.console)
    collection_web.assert_clean()
