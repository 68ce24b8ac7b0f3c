"""The open data and API pages in Chromium, in Japanese and English, at desktop and phone size: one heading,
every file link answering, nothing wider than the screen, and no serious or critical axe violation."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import DESKTOP, LANGUAGES, PHONE, Web
from tests.browser.test_accessibility import check_axe

PAGES = {"opendata-kobe": "/opendata/kobe/", "opendata-minato": "/opendata/minato/", "api": "/api/v1/"}
HEADINGS = {"ja": ("オープンデータ", "API"), "en": ("Open data", "API")}


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("name", list(PAGES))
def test_open_data_and_api_pages(web: Web, name: str, lang: str) -> None:
    page = web.new_page(lang, DESKTOP)
    for size, label in ((DESKTOP, "desktop"), (PHONE, "phone")):
        page.set_viewport_size(size)
        web.goto(page, PAGES[name])
        web.screenshot(page, f"{name}-{lang}-{label}")
        expect(page.locator("html")).to_have_attribute("lang", lang)
        expect(page.locator("h1")).to_have_count(1)
        assert page.locator("h1").inner_text().startswith(HEADINGS[lang]), page.locator("h1").inner_text()
        wide = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert wide <= 1, f"{PAGES[name]} ({lang}, {label}) scrolls sideways by {wide}px"
        check_axe(page, f"{name}-{lang}-{label}")
    if name.startswith("opendata"):
        links = page.locator("#datasets a").evaluate_all("(links) => links.slice(0, 4).map((a) => a.href)")
        links.append(page.locator("a[download]").get_attribute("href") or "")
        for href in links:
            response = page.request.get(href)
            assert response.status == 200, href
    else:
        expect(page.locator("#operations tbody tr")).to_have_count(14)
    web.assert_clean()
