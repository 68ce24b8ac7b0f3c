"""Every page type in Japanese and English, as a person uses it: in Chromium against the real server.

Each test ends with `web.assert_clean()`: no console errors, no script errors, no failed requests and no
responses with status >= 400 on any page it opened. Screenshots of every page type at 1366×768 and at
phone width (390×844) are saved in the artifacts folder (printed at the end of the run).
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import DESKTOP, LANGUAGES, PAGES, PHONE, Web

HEADINGS: dict[str, dict[str, str]] = {
    "overview": {"ja": "主要指標の概要", "en": "Key indicators at a glance"},
    "indicator-mnc_rate": {"ja": "マイナンバーカード交付率", "en": "My Number card issuance rate"},
    "indicator-cert_total": {"ja": "証明書発行件数：全市合計", "en": "Certificates issued, city total"},
    "indicator-pc_small_rate": {"ja": "事務処理PC小型軽量化 導入比率", "en": "Share of small lightweight office PCs"},
    "indicator-print_index": {"ja": "印刷枚数（実績） 指数（H29年度：100）", "en": "Print volume index (FY2017 = 100)"},
    "indicator-smart_coverage": {
        "ja": "行政手続スマート化カバー率",
        "en": "Smart-procedure coverage (by applications)",
    },
    "roadmap": {"ja": "ロードマップ", "en": "Roadmap"},
    "organisation": {"ja": "推進体制", "en": "Organisation"},
    "summary": {"ja": "主要指標一覧表", "en": "Summary table of key indicators"},
    "overview-minato": {"ja": "主要指標の概要", "en": "Key indicators at a glance"},
    "indicator-minato-overtime": {"ja": "職員一人当たりの月平均超過勤務時間", "en": "Monthly overtime per employee"},
}

# The Vega marks each chart kind must draw (SVG groups `g.mark-<type>`), and how many y axes it has.
CHARTS: dict[str, tuple[tuple[str, ...], int]] = {
    "indicator-mnc_rate": (("mark-line", "mark-symbol"), 1),  # comparison
    "indicator-cert_total": (("mark-rect",), 1),  # stacked bars
    "indicator-pc_small_rate": (("mark-rect", "mark-line"), 2),  # bars and a line on two axes
    "indicator-print_index": (("mark-rule", "mark-line"), 1),  # index, 100 line, target path
    "indicator-smart_coverage": (("mark-line", "mark-symbol"), 1),  # trend of a rate
}

NAV_CURRENT = {"overview": "/", "summary": "/summary/", "roadmap": "/roadmap/", "organisation": "/organisation/"}
KOBE = "programme=kobe"  # every dashboard link names its programme
JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uff01-\uff5e]")

# Elements wider than the screen outside the horizontally scrolling table containers.
OVERFLOW_JS = """() => {
  const root = document.documentElement;
  const width = root.clientWidth;
  const wide = [];
  for (const el of document.body.querySelectorAll('*')) {
    if (el.closest('.table-scroll')) continue;
    if (el.closest('svg') && el.closest('svg') !== el) continue;  // inside a chart: see CLIPPED_JS
    const box = el.getBoundingClientRect();
    if (box.width > 0 && box.right > width + 1) {
      const names = typeof el.className === 'string' ? el.className.trim().split(/\\s+/).filter(Boolean) : [];
      const id = el.id ? '#' + el.id : '';
      const classes = names.map(n => '.' + n).join('');
      wide.push(`${el.tagName.toLowerCase()}${id}${classes} (right edge ${Math.round(box.right)})`);
    }
  }
  return {scrollWidth: root.scrollWidth, clientWidth: width, wide: wide.slice(0, 12)};
}"""

# Chart text (titles, axis labels, legend entries) that the SVG's edge cuts off.
CLIPPED_JS = """() => {
  const svg = document.querySelector('#chart svg');
  const frame = svg.getBoundingClientRect();
  const cut = [];
  for (const text of svg.querySelectorAll('text')) {
    const box = text.getBoundingClientRect();
    if (box.width && (box.right > frame.right + 1 || box.left < frame.left - 1)) {
      cut.push(`${JSON.stringify(text.textContent)} spans x ${Math.round(box.left)}–${Math.round(box.right)} px`);
    }
  }
  return {svg: `x ${Math.round(frame.left)}–${Math.round(frame.right)} px`, cut};
}"""

FOCUS_JS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  const box = el.getBoundingClientRect();
  return {
    tag: el.tagName.toLowerCase(), cls: el.className || '', id: el.id || '',
    text: (el.innerText || el.value || '').slice(0, 40),
    outlineStyle: style.outlineStyle, outlineWidth: parseFloat(style.outlineWidth) || 0,
    boxShadow: style.boxShadow, focused: el.matches(':focus'), inMain: !!document.getElementById('main')?.contains(el),
    left: box.left, top: box.top, right: box.right, bottom: box.bottom,
    viewWidth: window.innerWidth, viewHeight: window.innerHeight,
  };
}"""

FIRST_FOCUSABLE_IN_MAIN_JS = """() => {
  const sel = 'a[href], button:not([disabled]), input:not([type=hidden]):not([disabled]), select, textarea, '
    + '[tabindex]:not([tabindex="-1"])';
  const el = Array.from(document.getElementById('main').querySelectorAll(sel)).find(e => e.getClientRects().length);
  return el ? el.outerHTML.slice(0, 120) : null;
}"""


def check_no_overflow(page: Page, where: str) -> None:
    found: dict[str, Any] = page.evaluate(OVERFLOW_JS)
    assert found["scrollWidth"] <= found["clientWidth"], (
        f"{where}: the page scrolls sideways ({found['scrollWidth']} px of content in {found['clientWidth']} px); "
        f"too wide: {found['wide']}"
    )
    assert not found["wide"], f"{where}: elements wider than the screen (outside .table-scroll): {found['wide']}"


def check_chart(page: Page, name: str) -> None:
    marks, y_axes = CHARTS[name]
    svg = page.locator("#chart svg").first
    box = svg.bounding_box()
    assert box is not None and box["width"] > 200 and box["height"] > 150, f"chart SVG not drawn to size: {box}"
    for mark in marks:
        drawn = page.locator(f"#chart svg g.{mark} :is(path, line, rect)").count()
        assert drawn > 0, f"the {name} chart has no drawn {mark} items"
    axes = page.locator("#chart svg g.role-axis[aria-label^='Y-axis']").count()
    assert axes == y_axes, f"the {name} chart has {axes} y axes, expected {y_axes}"
    clipped: dict[str, Any] = page.evaluate(CLIPPED_JS)
    assert not clipped["cut"], f"the {name} chart (SVG {clipped['svg']}) cuts off its text: {clipped['cut']}"
    # The chart's text alternative is the year table below it.
    assert page.locator("table.data").first.locator("tbody tr").count() > 0


def check_focus_visible(
    focus: dict[str, Any] | None, what: str, page: Page | None = None, unfocused: dict[str, bytes] | None = None
) -> None:
    """The focused element shows the outline of the stylesheet (computed style). One exception: a part
    inside a native control's own shadow tree (the calendar button of <input type=date>) has the focus
    while the input itself does not match :focus, so no page CSS reaches it; there the control must look
    different from its unfocused self (Chromium draws its own ring)."""
    assert focus is not None, f"{what}: nothing has the focus"
    label = f"{focus['tag']}.{focus['cls']}#{focus['id']} {focus['text']!r}"
    if not focus["focused"] and page is not None and unfocused is not None and focus["id"] in unfocused:
        now = page.locator(f"#{focus['id']}").screenshot()
        assert now != unfocused[focus["id"]], f"{what}: focus inside {label} is not visible at all"
    else:
        outline = f"{focus['outlineStyle']} {focus['outlineWidth']}px"
        assert focus["outlineStyle"] != "none" and focus["outlineWidth"] >= 2, (
            f"{what}: focused {label} has no visible outline (outline {outline})"
        )
    inside = focus["left"] >= 0 and focus["right"] <= focus["viewWidth"] + 1
    inside = inside and focus["bottom"] > 0 and focus["top"] < focus["viewHeight"]
    assert inside, f"{what}: focused {label} is outside the screen ({focus})"


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("name", list(PAGES))
def test_page_type(web: Web, name: str, lang: str) -> None:
    """Heading, <html lang>, current nav item, the chart drawn; no sideways scrolling at 1366×768 or 390×844."""
    page = web.new_page(lang, DESKTOP)
    for size, label in ((DESKTOP, "desktop"), (PHONE, "phone")):
        page.set_viewport_size(size)
        web.goto(page, PAGES[name])  # loaded afresh at each size, as a phone would
        web.screenshot(page, f"{name}-{lang}-{label}")  # first: a failing page is the one to look at
        where = f"{PAGES[name]} ({lang}, {size['width']}×{size['height']})"
        expect(page.locator("html")).to_have_attribute("lang", lang)
        expect(page.locator("h1")).to_have_count(1)
        heading = page.locator("h1").inner_text().strip()
        assert heading.startswith(HEADINGS[name][lang]), f"{where}: heading {heading!r}"
        assert page.title().split(" — ")[0].strip(), f"{where}: no page title: {page.title()!r}"
        if name in NAV_CURRENT:
            current = page.locator("nav a[aria-current='page']")
            expect(current).to_have_count(1)
            assert current.get_attribute("href") == f"{NAV_CURRENT[name]}?{KOBE}"
        if name in CHARTS:
            check_chart(page, name)
        if lang == "en":  # the interface itself is translated (data may be Japanese-only)
            chrome = " ".join(page.locator("nav, .filters label, .filters button, figcaption, thead").all_inner_texts())
            assert not JAPANESE.search(chrome), f"{where}: untranslated interface text: {JAPANESE.findall(chrome)}"
        check_no_overflow(page, where)
    web.assert_clean()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_overview_to_indicator_and_back(web: Web, lang: str) -> None:
    page = web.open("/", lang)
    link = page.locator(f".card__title a[href='/indicators/mnc_rate/?{KOBE}']")
    name = link.inner_text().strip()
    assert name == HEADINGS["indicator-mnc_rate"][lang]
    link.click()
    page.wait_for_url(f"**/indicators/mnc_rate/?{KOBE}")
    web.settle(page)
    expect(page.locator("h1")).to_have_text(name)
    check_chart(page, "indicator-mnc_rate")

    page.go_back()
    page.wait_for_url(web.base + "/")
    expect(page.locator("h1")).to_contain_text(HEADINGS["overview"][lang])

    page.go_forward()
    page.wait_for_url(f"**/indicators/mnc_rate/?{KOBE}")
    page.locator(".breadcrumb a").click()  # and back by the breadcrumb
    page.wait_for_url(f"{web.base}/?{KOBE}")
    expect(page.locator("h1")).to_contain_text(HEADINGS["overview"][lang])
    web.assert_clean()


@pytest.mark.parametrize(("lang", "label"), [("ja", "H31/R1"), ("en", "FY2019")])
def test_switch_period(web: Web, lang: str, label: str) -> None:
    """R3 (FY2021) by default; choosing H31/R1 (FY2019) shows that year's figures on every page."""
    page = web.open("/", lang)
    card = page.locator(".card").filter(has=page.locator("a[href^='/indicators/mnc_rate/']"))
    expect(page.locator("#period")).to_have_value("FY2021")
    expect(card.locator(".card__value")).to_contain_text("51.1%")

    page.locator("#period").select_option("FY2019")
    page.locator(".filters button[type=submit]").click()
    page.wait_for_url(re.compile(r".*/\?.*period=FY2019"))
    expect(page.locator("#period")).to_have_value("FY2019")
    expect(page.locator("h1 .subtitle")).to_contain_text(label)
    expect(card.locator(".card__value")).to_contain_text("21.5%")
    expect(card.locator(".card__period")).to_have_text(label)

    # The period goes along to the indicator page: its latest figure and its year table agree.
    card.locator("a").click()
    page.wait_for_url(re.compile(r".*/indicators/mnc_rate/\?programme=kobe&period=FY2019"))
    web.settle(page)
    expect(page.locator(".facts dd").first).to_contain_text("21.5%")
    row = page.locator("table.data tbody tr").filter(has=page.locator("th", has_text=label))
    expect(row.locator("td.num").first).to_have_text("21.5%")
    expect(page.locator("#period")).to_have_value("FY2019")

    # …and to the other pages through the navigation.
    page.locator("nav a[href^='/summary/']").click()
    page.wait_for_url(re.compile(r".*/summary/\?programme=kobe&period=FY2019"))
    expect(page.locator("#period")).to_have_value("FY2019")
    web.assert_clean()


def test_switch_language_and_back(web: Web) -> None:
    page = web.open("/indicators/mnc_rate/?period=FY2019", "ja")
    expect(page.locator("html")).to_have_attribute("lang", "ja")

    page.get_by_role("button", name="English").click()
    page.wait_for_function("document.documentElement.lang === 'en'")
    web.settle(page)
    assert page.url == web.base + "/indicators/mnc_rate/?period=FY2019", "the language switch lost the page"
    expect(page.locator("h1")).to_have_text(HEADINGS["indicator-mnc_rate"]["en"])
    expect(page.locator("#chart svg g.role-axis[aria-label^='X-axis']")).to_have_attribute(
        "aria-label", re.compile("Fiscal year|FY")
    )
    cookies = {c["name"]: c["value"] for c in page.context.cookies()}
    assert cookies.get("shihyo_language") == "en"

    page.locator("nav a[href^='/roadmap/']").click()  # the choice stays on the next page
    page.wait_for_url(re.compile(r".*/roadmap/\?programme=kobe&period=FY2019"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_have_text("Roadmap")

    page.get_by_role("button", name="日本語").click()
    page.wait_for_function("document.documentElement.lang === 'ja'")
    assert page.url == web.base + "/roadmap/?programme=kobe&period=FY2019"
    expect(page.locator("h1")).to_have_text("ロードマップ")
    expect(page.get_by_role("button", name="English")).to_be_visible()
    web.assert_clean()


@pytest.mark.parametrize("name", ["overview", "indicator-pc_small_rate", "roadmap", "organisation", "summary"])
def test_keyboard(web: Web, name: str) -> None:
    """Tab from the top reaches the skip link first, visibly; Enter moves the focus to <main>; every tab stop
    in the header and the filters shows a visible outline."""
    page = web.open(PAGES[name], "ja")
    page.keyboard.press("Tab")
    focus = page.evaluate(FOCUS_JS)
    assert focus is not None and "skip-link" in focus["cls"], f"the first tab stop is not the skip link: {focus}"
    check_focus_visible(focus, "skip link")

    page.keyboard.press("Enter")
    page.wait_for_function("document.activeElement && document.activeElement.id === 'main'")
    assert page.url.endswith("#main")
    first_in_main = page.evaluate(FIRST_FOCUSABLE_IN_MAIN_JS)
    if first_in_main is not None:
        page.keyboard.press("Tab")
        focus = page.evaluate(FOCUS_JS)
        assert focus is not None and focus["inMain"], f"Tab after the skip link left <main>: {focus}"
        check_focus_visible(focus, "first tab stop in <main>")

    # From the top again: the header links, the language button and the filters.
    web.goto(page, PAGES[name])
    unfocused = {"as_of": page.locator("#as_of").screenshot()}
    seen = []
    for step in range(14):
        page.keyboard.press("Tab")
        focus = page.evaluate(FOCUS_JS)
        if focus is None and step >= 10:
            break  # past the last tab stop of a short page: the focus has left the document
        check_focus_visible(focus, f"tab stop {step + 1}", page, unfocused)
        assert focus is not None
        seen.append(f"{focus['tag']}:{focus['text'] or focus['id']}")
    assert any(s.startswith("button:English") for s in seen), f"the language button is not reachable: {seen}"
    assert any(s.startswith("select:") for s in seen), f"the period select is not reachable: {seen}"
    web.assert_clean()


def test_summary_scrolls_with_the_page(web: Web) -> None:
    """The summary table has no inner scroll box: the page scrolls; on a phone it moves sideways only,
    with the indicator column kept in view."""
    page = web.open("/summary/", "ja", DESKTOP)
    box = page.locator(".table-scroll--summary")
    sizes: dict[str, float] = box.evaluate(
        "el => ({inner: el.scrollHeight, shown: el.clientHeight,"
        " page: document.documentElement.scrollHeight, view: window.innerHeight})"
    )
    assert sizes["inner"] <= sizes["shown"] + 1, f"the summary table scrolls in a box of its own: {sizes}"
    assert sizes["page"] > sizes["view"], sizes
    web.screenshot(page, "summary-ja-desktop")
    phone = web.open("/summary/", "ja", PHONE)
    box = phone.locator(".table-scroll--summary")
    scrolled: dict[str, float] = box.evaluate(
        "el => { el.scrollTop = 500; el.scrollLeft = 300; return {top: el.scrollTop, left: el.scrollLeft}; }"
    )
    assert scrolled["top"] == 0 and scrolled["left"] > 0, f"the summary table should move sideways only: {scrolled}"
    frame = box.bounding_box()
    row_head = phone.locator("table.summary tbody th.sticky-col").nth(8).bounding_box()
    assert frame and row_head
    assert abs(row_head["x"] - frame["x"]) <= 2, f"the indicator column scrolled away: {row_head} in {frame}"
    web.screenshot(phone, "summary-ja-phone-scrolled")
    web.assert_clean()


def test_downloads(web: Web) -> None:
    """CSV with a UTF-8 BOM (for Excel), XLSX (a zip), PNG and SVG of the chart, by clicking the links."""
    page = web.open("/indicators/mnc_rate/", "ja")
    got: dict[str, bytes] = {}
    for fmt in ("csv", "xlsx", "png", "svg"):
        with page.expect_download() as info:
            page.locator(f".downloads a[href*='download.{fmt}']").click()
        download = info.value
        assert download.failure() is None, f"{fmt}: {download.failure()}"
        assert download.suggested_filename.endswith(f".{fmt}"), download.suggested_filename
        got[fmt] = Path(download.path()).read_bytes()

    assert got["csv"].startswith(b"\xef\xbb\xbf"), f"the CSV has no UTF-8 BOM: {got['csv'][:20]!r}"
    csv_text = got["csv"].decode("utf-8-sig")
    assert "21.5" in csv_text or "0.215" in csv_text, csv_text[:500]
    assert got["png"].startswith(b"\x89PNG\r\n\x1a\n"), got["png"][:16]
    assert got["xlsx"].startswith(b"PK\x03\x04"), got["xlsx"][:8]
    with zipfile.ZipFile(io.BytesIO(got["xlsx"])) as book:
        assert "xl/workbook.xml" in book.namelist()
    assert b"<svg" in got["svg"][:500], got["svg"][:200]
    assert page.url.endswith("/indicators/mnc_rate/"), "a download link navigated away"
    web.assert_clean()
