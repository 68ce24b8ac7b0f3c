"""Two programmes on one dashboard, in Chromium: the switcher in the header, by mouse and by keyboard.

The server has Kobe loaded first (the default) and みなと市 second. Each overview must show its own pillars
(read from the programme files, not typed in here), and the switch keeps the period and the language.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from shihyo.io.directory import read_programme_dir
from tests.browser.conftest import KOBE, LANGUAGES, MINATO, Web
from tests.browser.test_pages import FOCUS_JS, check_focus_visible

PILLARS = {
    code: [p.name for p in read_programme_dir(d).programme.pillars] for code, d in (("kobe", KOBE), ("minato", MINATO))
}
REPORT_PERIOD = {"kobe": "FY2021", "minato": "FY2023"}


def pillar_headings(page: Page) -> list[str]:
    return [text.strip() for text in page.locator("section.pillar > h2").all_inner_texts()]


def switcher(page: Page, code: str) -> str:
    """The switcher link that opens a programme."""
    return f".programme-switch a[href^='/?programme={code}']"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_switch_programme_and_back_keeping_the_period(web: Web, lang: str) -> None:
    page = web.open("/", lang)
    assert pillar_headings(page) == PILLARS["kobe"], "without ?programme= the one loaded first is shown"
    expect(page.locator(switcher(page, "kobe"))).to_have_attribute("aria-current", "true")

    page.locator(switcher(page, "minato")).click()
    page.wait_for_url(re.compile(r".*/\?programme=minato$"))
    expect(page.locator("html")).to_have_attribute("lang", lang)
    assert pillar_headings(page) == PILLARS["minato"]
    expect(page.locator("#period")).to_have_value(REPORT_PERIOD["minato"])
    expect(page.locator(switcher(page, "minato"))).to_have_attribute("aria-current", "true")
    expect(page.locator(".programme-switch a[aria-current]")).to_have_count(1)

    page.locator("#period").select_option("FY2021")  # a year both programmes have figures for
    page.locator(".filters button[type=submit]").click()
    page.wait_for_url(re.compile(r".*/\?programme=minato&period=FY2021"))
    assert pillar_headings(page) == PILLARS["minato"], "the period form stays on the programme"

    page.locator(switcher(page, "kobe")).click()
    page.wait_for_url(re.compile(r".*/\?programme=kobe&period=FY2021$"))
    assert pillar_headings(page) == PILLARS["kobe"]
    expect(page.locator("#period")).to_have_value("FY2021")
    expect(page.locator("html")).to_have_attribute("lang", lang)
    web.assert_clean()


def test_a_period_the_other_programme_lacks_is_not_carried_over(web: Web) -> None:
    page = web.open("/?programme=minato&period=FY2019H1", "ja")
    page.locator(switcher(page, "kobe")).click()
    page.wait_for_url(re.compile(r".*/\?programme=kobe$"))
    expect(page.locator("#period")).to_have_value(REPORT_PERIOD["kobe"])
    web.assert_clean()


def test_the_switcher_by_keyboard(web: Web) -> None:
    """After the skip link, the switcher's links are the next tab stops, visibly focused; Enter follows one."""
    page = web.open("/summary/", "ja")
    page.keyboard.press("Tab")  # the skip link
    for code in ("kobe", "minato"):
        page.keyboard.press("Tab")
        focus = page.evaluate(FOCUS_JS)
        check_focus_visible(focus, f"switcher link {code}")
        assert focus is not None and focus["tag"] == "a"
        assert page.evaluate("document.activeElement.getAttribute('href')").startswith(f"/?programme={code}")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/\?programme=minato"))
    assert pillar_headings(page) == PILLARS["minato"]
    web.assert_clean()
