"""The office keeps its catalogue and commentary on screen, in Chromium against the real server.

The office raises みなと市's final online-share target in the target form, sees the preview and saves with a
reason; the indicator page then shows the new target, and the same page as of before the change shows the
old one. It writes and publishes commentary; a visitor sees it marked as written by the office. A reviewer
cannot reach the editing pages.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from urllib.parse import quote
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from tests.browser.conftest import MINATO, Web, serving
from tests.browser.test_accessibility import check_axe
from tests.browser.test_collection import Shihyo

PASSWORD = "browser-editing-password-1"
TOKYO = ZoneInfo("Asia/Tokyo")


@pytest.fixture(scope="module")
def city(tmp_path_factory: pytest.TempPathFactory) -> Shihyo:
    command = Shihyo(tmp_path_factory.mktemp("shihyo-editing"))
    command("load", str(MINATO), "--by", "browser-tests", "--reason", "editing")
    for username, role in (("office", "admin"), ("reviewer", "reviewer")):
        command("user", "add", username, "--role", role, "--password-stdin", stdin=PASSWORD + "\n")
    return command


@pytest.fixture(scope="module")
def site(city: Shihyo, artifacts: Path) -> Iterator[str]:
    with serving(city.home, city.env, artifacts / "editing-server.log", "/login/") as url:
        yield url


@pytest.fixture
def web(chromium: Browser, site: str) -> Iterator[Web]:
    helper = Web(chromium, site)
    try:
        yield helper
    finally:
        helper.close()


def sign_in(web: Web, username: str, then: str) -> Page:
    page = web.new_page()
    web.goto(page, f"/login/?next={then}")
    page.locator("#username").fill(username)
    page.locator("#password").fill(PASSWORD)
    page.locator("form.stack-form button[type=submit]").click()
    page.wait_for_url(web.base + then)
    return page


def test_the_office_changes_a_target_with_a_preview_and_the_old_one_stays_reproducible(web: Web) -> None:
    office = sign_in(web, "office", "/catalogue/minato/series/")
    before = datetime.now(TOKYO).isoformat(timespec="seconds")
    office.get_by_role("link", name="変更", exact=True).nth(0).wait_for()
    edit = office.get_by_role("link", name="変更", exact=True)
    row = office.locator("tr", has_text="オンライン").filter(has=edit).last  # the target row, after the series
    row.get_by_role("link", name="変更", exact=True).click()
    expect(office.locator("h1")).to_have_text("目標を変更")
    final = office.locator("input[name=final]:checked")
    number = final.get_attribute("value")
    office.locator(f"input[name=value-{number}]").fill("65")
    office.get_by_role("button", name="変更内容を確認").click()
    expect(office.locator("#preview")).to_contain_text("まだ保存していません")
    office.locator("#reason").fill("R5年度の見直しで最終目標を引き上げ")
    office.get_by_role("button", name="保存する").click()
    expect(office.locator(".notice--ok")).to_contain_text("定義の新しい版として保存しました")
    def card(page: Page) -> Locator:  # the overview card of the indicator, which shows the final target
        return page.locator("li.card").filter(has=page.locator("a[href^='/indicators/online_share/']"))

    page = web.open("/?programme=minato")
    expect(card(page)).to_contain_text("65.0%")
    earlier = web.open(f"/?programme=minato&as_of={quote(before)}")
    expect(card(earlier)).to_contain_text("60.0%")
    web.assert_clean()


def test_the_office_publishes_commentary_that_visitors_see_as_its_own(web: Web) -> None:
    office = sign_in(web, "office", "/indicators/online_share/?programme=minato")
    # みなと市 carries commentary for this year already: the office edits it (else it would write anew)
    office.locator("a.button", has_text="所見を").first.click()
    office.locator("#findings").fill("オンライン申請が窓口を上回った区が出てきた。")
    office.locator("#issues").fill("高齢者の利用支援\n手続の案内")
    office.locator("#actions").fill("")
    office.get_by_label("公開（すべての人）").check()
    office.locator("#reason").fill("上期の所見")
    office.get_by_role("button", name="保存する").click()
    visitor = web.open("/indicators/online_share/?programme=minato")
    box = visitor.locator("section.commentary")
    expect(box).to_contain_text("事務局が記載")
    expect(box).to_contain_text("オンライン申請が窓口を上回った区")
    expect(box.locator("ol li")).to_have_count(2)
    web.assert_clean()


def test_the_office_renames_a_measure_in_the_roadmap_tree_with_the_keyboard(web: Web) -> None:
    office = sign_in(web, "office", "/catalogue/minato/roadmap/")
    check_axe(office, "roadmap-editor-ja")
    tree = office.locator("#roadmap-tree")
    tree.get_by_role("link", name="変更 行政手続のオンライン化").click()
    expect(office.locator("h1")).to_contain_text("ロードマップを変更")
    check_axe(office, "roadmap-node-ja")
    office.locator("#name").fill("行政手続のオンライン化・デジタル化")
    office.locator("#summary").press("End")
    office.keyboard.type("\n書かない窓口")
    office.get_by_role("button", name="変更内容を確認").focus()
    office.keyboard.press("Enter")
    preview = office.locator("#node-preview")
    expect(preview).to_contain_text("行政手続のオンライン化・デジタル化")
    expect(preview).to_contain_text("書かない窓口")
    office.locator("#reason").fill("施策名の見直し")
    office.get_by_role("button", name="保存する").click()
    expect(office.locator(".notice--ok")).to_contain_text("定義の新しい版として保存しました")
    roadmap = web.open("/roadmap/?programme=minato")
    expect(roadmap.locator("main")).to_contain_text("行政手続のオンライン化・デジタル化")
    expect(roadmap.locator("main")).to_contain_text("書かない窓口")
    web.assert_clean()


def test_the_office_adds_an_indicator_puts_it_in_an_area_and_sets_its_target(web: Web) -> None:
    office = sign_in(web, "office", "/catalogue/minato/series/")
    before = datetime.now(TOKYO).isoformat(timespec="seconds")
    office.get_by_role("link", name="指標を追加").click()
    office.locator("#kind-choice").select_option("ratio")
    office.get_by_role("button", name="この種類の入力欄を表示").click()
    expect(office.locator("#numerator")).to_be_visible()
    check_axe(office, "indicator-form-ja")
    office.locator("#code").fill("cert_per_1000")
    office.locator("#name").fill("人口千人当たりの証明書発行件数")
    office.locator("#unit").fill("件")
    office.locator("#decimals").fill("1")
    office.locator("#numerator").select_option("cert_total")
    office.locator("#denominator").select_option("population")
    office.locator("#factor").fill("1000")
    office.get_by_role("button", name="変更内容を確認").click()
    expect(office.locator("#preview")).to_contain_text("cert_per_1000")  # its new figures, before saving
    office.locator("#reason").fill("人口当たりの指標を追加")
    office.get_by_role("button", name="保存する").click()
    expect(office.locator(".notice--ok")).to_contain_text("定義の新しい版として保存しました")

    web.goto(office, "/catalogue/minato/roadmap/area/P1.A1/")
    office.get_by_label("人口千人当たりの証明書発行件数").check()
    office.get_by_role("button", name="変更内容を確認").click()
    expect(office.locator("#node-preview")).to_contain_text("cert_per_1000")
    office.locator("#reason").fill("区分の主要指標に追加")
    office.get_by_role("button", name="保存する").click()
    expect(office.locator(".notice--ok")).to_be_visible()

    web.goto(office, "/catalogue/minato/org-units/kita/edit/")
    check_axe(office, "org-unit-form-ja")
    web.goto(office, "/catalogue/minato/teams/digital_window_pt/edit/")
    check_axe(office, "team-form-ja")
    web.goto(office, "/catalogue/minato/targets/new/")
    office.locator("#indicator").select_option("cert_per_1000")
    office.locator("#direction").select_option("higher")
    office.get_by_label("対象期間 1").fill("FY2025")
    office.get_by_label("値 1").fill("900")
    office.get_by_label("最終目標 1").check()
    office.get_by_role("button", name="変更内容を確認").click()
    problems = office.locator("#problems")
    assert problems.count() == 0, problems.inner_text()
    expect(office.locator("#preview")).to_contain_text("まだ保存していません")
    office.locator("#reason").fill("R7年度の目標を設定")
    office.get_by_role("button", name="保存する").click()
    expect(office.locator(".notice--ok")).to_be_visible()

    def card(page: Page) -> Locator:
        return page.locator("li.card").filter(has=page.locator("a[href^='/indicators/cert_per_1000/']"))

    overview = web.open("/?programme=minato")
    expect(card(overview)).to_contain_text("人口千人当たりの証明書発行件数")
    expect(card(overview)).to_contain_text("900.0件")
    earlier = web.open(f"/?programme=minato&as_of={quote(before)}")
    expect(earlier.locator("li.card").first).to_be_visible()
    expect(card(earlier)).to_have_count(0)  # as of before the change, the programme had no such indicator
    web.assert_clean()


def test_a_reviewer_reaches_no_editing_page(web: Web) -> None:
    reviewer = sign_in(web, "reviewer", "/collection/")
    for path in (
        "/catalogue/minato/series/",
        "/catalogue/minato/targets/0/",
        "/notes/minato/FY2024/progress/",
        "/catalogue/minato/roadmap/",
        "/catalogue/minato/roadmap/task/P1.A1.M1.T1/",
        "/catalogue/minato/indicators/new/",
        "/catalogue/minato/org-units/list/",
    ):
        response = reviewer.goto(web.base + path)
        assert response is not None and response.status == 403, path
    expect(reviewer.get_by_role("link", name="カタログ")).to_have_count(0)
    web.problems.clear()  # the 403s above were the point
