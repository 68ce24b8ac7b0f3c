"""Collection rounds in Chromium against the real server, as the city's departments and reviewers use them.

A ward's clerk signs in, enters this period's figures and watches the change against last period update as
they type, then submits; a reviewer approves and the approved figure is published as a revision that the
value's history shows. Text that users type (comments) or the programme office chooses (round names) is
shown literally and never runs as script. axe-core finds no serious or critical problem on the sign-in,
round and submission pages, and the submission page fits a desktop screen and a phone.

The module has its own server: a fresh SHIHYO_HOME with the mini programme loaded, accounts created and
rounds opened by the `shihyo` CLI in subprocesses before `shihyo serve` starts (Playwright's sync API runs
an asyncio loop in this thread, so the Django ORM must not be used here). Each test works in its own round,
so the tests do not depend on one another's order.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Dialog, Locator, Page, ViewportSize, expect

from tests.browser.conftest import (
    DESKTOP,
    PHONE,
    ROOT,
    SHIHYO,
    Web,
    serving,
)
from tests.browser.test_accessibility import check_axe
from tests.browser.test_pages import check_no_overflow

MINI = ROOT / "tests" / "fixtures" / "mini"
PROGRAMME = "mini"
PASSWORD = "browser-collection-password-1"

# The shared world of accounts: the programme office, a reviewer and two departments' clerks.
ACCOUNTS: dict[str, tuple[str, tuple[str, ...]]] = {
    "office": ("admin", ()),
    "reviewer": ("reviewer", ()),
    "ward_a_clerk": ("submitter", ("ward_a",)),
    "city_clerk": ("submitter", ("city",)),
}

# Markup a clerk might paste into a comment, or the office into a round name: it must show as text.
SCRIPT = "<script>window.__pwned=1</script>"
IMAGE = '<img src=x onerror="window.__pwned=1;alert(1)">'
COMMENT = f"</textarea>{SCRIPT}{IMAGE}"
ROUND_NAME = f'</title>{SCRIPT}<img src=x onerror="alert(1)">'
REVIEW_COMMENT = f'"><svg onload="window.__pwned=1">{SCRIPT}'

# Each test has its own round. In the mini programme last period's figures are: counter (窓口件数) of
# ward_a 160 in R3下期 (FY2021H2) and 310 in R3 (FY2021); online (電子申請件数) of the city 800 in R3.
ROUNDS: dict[str, list[str]] = {
    # test_submitter_enters_and_submits
    "r4-h1": [
        *("--name", "R4年度上期", "--period", "R4上期", "--series", "counter"),
        *("--org-unit", "ward_a", "--org-unit", "ward_b", "--due", "2099-12-31"),
    ],
    # test_reviewer_approves_and_history_shows_it
    "r4-online": ["--name", "R4年度 電子申請", "--period", "R4", "--series", "online", "--org-unit", "city"],
    # test_live_change_rounds_half_up, test_saved_change_rounds_half_up
    "r4-rounding": ["--name", "R4上期（端数）", "--period", "R4上期", "--series", "counter", "--org-unit", "ward_a"],
    # test_user_text_is_never_markup
    "r4-escape": ["--name", ROUND_NAME, "--period", "R4", "--series", "counter", "--org-unit", "ward_a"],
    # test_axe, test_submission_page_fits_the_screen: every series, three units, past its due date
    "r4-look": [
        *("--name", "R4年度上期（全系列）", "--period", "R4上期", "--due", "2022-10-31"),
        *("--org-unit", "city", "--org-unit", "ward_a", "--org-unit", "ward_b"),
    ],
}

_axe = Axe()


class Shihyo:
    """The `shihyo` command on the collection server's SHIHYO_HOME (for set-up and for reading states)."""

    def __init__(self, home: Path) -> None:
        self.home = home
        self.env = {**os.environ, "SHIHYO_HOME": str(home)}
        for name in ("SHIHYO_DATABASE_URL", "SHIHYO_DEBUG", "SHIHYO_HTTPS"):
            self.env.pop(name, None)

    def __call__(self, *args: str, stdin: str | None = None) -> str:
        done = subprocess.run(
            [str(SHIHYO), *args],
            env=self.env,
            cwd=self.home,
            input=stdin,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert done.returncode == 0, f"shihyo {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}"
        return done.stdout

    def states(self, round_code: str) -> dict[str, str]:
        """Each org unit's state in a round, as `shihyo round status` reports it (未提出, 提出済 …)."""
        rows: list[dict[str, Any]] = json.loads(self("round", "status", round_code, "--format", "json"))
        return {str(row["org_unit"]).strip(): str(row["state"]) for row in rows}


def wards_report_counter(folder: Path) -> Path:
    """The mini programme with 窓口件数 (counter) reported by the wards: `reported_by: [ward]`, and the city's
    own counter rows left out (its figure is the wards' roll-up)."""
    target = folder / "mini"
    shutil.copytree(MINI, target)
    series = target / "series.yaml"
    text = series.read_text(encoding="utf-8")
    assert "- code: counter\n" in text
    series.write_text(text.replace("- code: counter\n", "- code: counter\n  reported_by: [ward]\n"), encoding="utf-8")
    rows = (target / "observations.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    kept = [row for row in rows if not row.startswith("counter,city,")]
    (target / "observations.csv").write_text("".join(kept), encoding="utf-8")
    return target


@pytest.fixture(scope="module")
def shihyo(tmp_path_factory: pytest.TempPathFactory) -> Shihyo:
    """The mini programme (the wards report counter) loaded, the accounts created and the rounds opened, all
    through the CLI."""
    command = Shihyo(tmp_path_factory.mktemp("shihyo-collection-home"))
    programme = wards_report_counter(tmp_path_factory.mktemp("programme"))
    command("load", str(programme), "--by", "browser-tests", "--reason", "collection browser tests")
    for username, (role, units) in ACCOUNTS.items():
        unit_options = [option for unit in units for option in ("--org-unit", unit)]
        command("user", "add", username, "--role", role, *unit_options, "--password-stdin", stdin=PASSWORD + "\n")
    for code, options in ROUNDS.items():
        command("round", "open", code, *options, "--by", "office")
    return command


@pytest.fixture(scope="module")
def collection_server(shihyo: Shihyo, artifacts: Path) -> Iterator[str]:
    """`shihyo serve` on the collection home, on its own loopback port; yields the base URL."""
    with serving(shihyo.home, shihyo.env, artifacts / "collection-server.log", "/login/") as url:
        yield url


@pytest.fixture
def web(chromium: Browser, collection_server: str) -> Iterator[Web]:
    """Like the package's `web`, but on the collection server."""
    helper = Web(chromium, collection_server)
    try:
        yield helper
    finally:
        helper.close()


def submission_path(round_code: str, org_unit: str) -> str:
    return f"/collection/{PROGRAMME}/{round_code}/{org_unit}/"


def sign_in(web: Web, username: str, then: str, lang: str = "ja", size: ViewportSize = DESKTOP) -> Page:
    """A fresh browser signed in through the form at /login/, left on the page `then`."""
    page = web.new_page(lang, size)
    web.goto(page, f"/login/?next={then}")
    page.locator("#username").fill(username)
    page.locator("#password").fill(PASSWORD)
    page.locator("form.stack-form button[type=submit]").click()
    page.wait_for_url(web.base + then)
    expect(page.locator(".account__name")).to_have_text(username)
    return page


def expect_forbidden(page: Page, path: str) -> None:
    """GET `path` in another tab of the same signed-in browser answers 403 with the reason. The tab is not
    watched by `web`: the expected 403, and the favicon request of the plain-text answer, are no problems."""
    tab = page.context.new_page()
    try:
        response = tab.goto(path)
        assert response is not None and response.status == 403, f"GET {path}: {response.status if response else None}"
        expect(tab.locator("body")).to_contain_text("この所属の数値を見たり変更したりする権限がありません。")
    finally:
        tab.close()


def row_of(page: Page, field: str) -> Locator:
    """The table row of one input (series-period, e.g. counter-FY2022H1) on the submission page."""
    return page.locator("table.entry tbody tr").filter(has=page.locator(f"#v-{field}"))


def history_lines(page: Page, stage: str, by: str) -> Locator:
    """Lines of the value history table at a stage (入力 entered, 公表 published) recorded by one user."""
    lines = page.locator("#history tbody tr")
    lines = lines.filter(has=page.locator("td:nth-child(2)", has_text=re.compile(f"^{re.escape(by)}$")))
    return lines.filter(has=page.locator("td:nth-child(3)", has_text=re.compile(f"^{re.escape(stage)}$")))


def test_submitter_enters_and_submits(web: Web, shihyo: Shihyo) -> None:
    """Ward A's clerk signs in, finds the unit's form through the round, sees the change against last period
    (R3下期: 160) update while typing, submits and sees 提出済. Ward B's figures are closed to them."""
    page = web.new_page("ja")
    web.goto(page, "/login/")
    page.locator("#username").fill("ward_a_clerk")
    page.locator("#password").fill(PASSWORD)
    page.get_by_role("button", name="ログイン", exact=True).click()
    page.wait_for_url(web.base + "/collection/")

    page.get_by_role("link", name="R4年度上期", exact=True).click()
    page.wait_for_url(web.base + "/collection/mini/r4-h1/")
    status = page.locator("#round-status tbody")
    expect(status.locator("tr")).to_have_count(1)  # only the clerk's own unit is listed
    expect(status).not_to_contain_text("B区")
    status.get_by_role("link", name="A区").click()
    page.wait_for_url(web.base + submission_path("r4-h1", "ward_a"))
    expect(page.locator("#state")).to_have_text("未提出")

    row = row_of(page, "counter-FY2022H1")
    expect(row.locator("[data-previous]")).to_contain_text("160")
    expect(row.locator("[data-previous]")).to_contain_text("R3下期")
    value, change = row.locator("input.value-input"), row.locator(".live-change")
    expect(change).to_have_text("")
    value.press_sequentially("20")
    expect(change).to_have_text("▲87.5%（▲140）")  # (20 − 160) ÷ 160, while the clerk is still typing
    value.press_sequentially("0")
    expect(change).to_have_text("+25.0%（+40）")
    value.fill("１２０")  # full-width digits, as a Japanese IME types them
    expect(change).to_have_text("▲25.0%（▲40）")
    value.fill("0.2千")
    expect(change).to_have_text("+25.0%（+40）")
    value.fill("")
    expect(change).to_have_text("")
    value.fill("200")
    expect(change).to_have_text("+25.0%（+40）")

    page.get_by_role("button", name="提出する").click()
    expect(page.locator("#state")).to_have_text("提出済")
    expect(page.locator(".notice--ok")).to_have_text("提出しました（変更 1 件）。")
    row = row_of(page, "counter-FY2022H1")
    expect(row.locator("input.value-input")).to_have_value("200")
    expect(row.locator(".live-change")).to_have_text("+25.0%（+40）")  # now computed by the server: the same
    expect(page.locator("#events tbody tr")).to_have_count(1)
    expect(page.locator("#events tbody tr")).to_contain_text("ward_a_clerk")

    # Ward B: neither readable nor writable for ward A's clerk, in the browser or by a hand-made POST.
    expect_forbidden(page, submission_path("r4-h1", "ward_b"))
    token = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    posted = page.request.post(
        web.base + submission_path("r4-h1", "ward_b"),
        form={"csrfmiddlewaretoken": token, "v-counter-FY2022H1": "999", "version": "0"},
        max_redirects=0,
    )
    assert posted.status == 403, f"POST to ward B's form as ward A's clerk: {posted.status}"
    assert shihyo.states("r4-h1") == {"ward_a": "提出済", "ward_b": "未提出"}
    web.assert_clean()


def test_reviewer_approves_and_history_shows_it(web: Web, shihyo: Shihyo) -> None:
    """The city's clerk submits 1,000 (R3: 800, +25.0%); the reviewer approves; the figures are locked, and
    the value's history lists what the department entered and what was published."""
    path = submission_path("r4-online", "city")
    clerk = sign_in(web, "city_clerk", path)
    row = row_of(clerk, "online-FY2022")
    expect(row.locator("[data-previous]")).to_contain_text("800")
    row.locator("input.value-input").press_sequentially("1,000")
    expect(row.locator(".live-change")).to_have_text("+25.0%（+200）")
    clerk.get_by_role("button", name="提出する").click()
    expect(clerk.locator("#state")).to_have_text("提出済")

    reviewer = sign_in(web, "reviewer", path)
    expect(reviewer.locator("#state")).to_have_text("提出済")
    expect(row_of(reviewer, "online-FY2022").locator("input.value-input")).to_have_attribute("readonly", "")
    expect(reviewer.get_by_role("button", name="提出する")).to_have_count(0)  # reviewers never enter figures
    reviewer.get_by_role("button", name="承認する").click()
    expect(reviewer.locator("#state")).to_have_text("承認済")
    expect(reviewer.locator(".notice--ok")).to_have_text("承認しました。")
    expect(reviewer.get_by_role("button", name="承認を取り消して再開")).to_be_visible()
    assert shihyo.states("r4-online") == {"city": "承認済"}

    # Approved figures are locked for the department.
    web.goto(clerk, path)
    expect(clerk.locator("#state")).to_have_text("承認済")
    expect(row_of(clerk, "online-FY2022").locator("input.value-input")).to_have_attribute("readonly", "")
    expect(clerk.get_by_role("button", name="提出する")).to_have_count(0)

    row_of(reviewer, "online-FY2022").get_by_role("link", name="履歴").click()
    reviewer.wait_for_url("**/collection/mini/history/?code=online&org_unit=city&period=FY2022")
    expect(reviewer.locator("h1")).to_have_text("数値の履歴")
    entered = history_lines(reviewer, "入力", "city_clerk")
    expect(entered).to_have_count(1)
    expect(entered.locator("td").nth(4)).to_have_text("1,000")
    published = history_lines(reviewer, "公表", "reviewer")
    expect(published).to_have_count(1)
    expect(published.locator("td").nth(4)).to_have_text("1,000")
    expect(published.locator("td").nth(5)).to_contain_text("R4年度 電子申請: 承認（入力 city_clerk）")
    web.assert_clean()


# A change of exactly x.x5 % is rounded half up (四捨五入), as every figure in shihyo (core.numbers.round_half_up):
# against 160, 158 is −1.25 % → ▲1.3% and 162 is +1.25 % → +1.3%.
def test_live_change_rounds_half_up(web: Web) -> None:
    """While typing, a change that ends in a half is rounded away from zero, in both directions."""
    page = sign_in(web, "ward_a_clerk", submission_path("r4-rounding", "ward_a"))
    row = row_of(page, "counter-FY2022H1")
    row.locator("input.value-input").fill("162")
    expect(row.locator(".live-change")).to_have_text("+1.3%（+2）")
    row.locator("input.value-input").fill("158")
    expect(row.locator(".live-change")).to_have_text("▲1.3%（▲2）")
    web.assert_clean()


def test_saved_change_rounds_half_up(web: Web) -> None:
    """After saving, the page shows the same change as while typing (the server rounds half up too)."""
    page = sign_in(web, "ward_a_clerk", submission_path("r4-rounding", "ward_a"))
    row_of(page, "counter-FY2022H1").locator("input.value-input").fill("162")
    page.get_by_role("button", name="提出する").click()
    expect(page.locator(".notice--ok")).to_be_visible()
    expect(row_of(page, "counter-FY2022H1").locator(".live-change")).to_have_text("+1.3%（+2）")
    web.assert_clean()


def test_user_text_is_never_markup(web: Web) -> None:
    """Markup in a clerk's comment, a reviewer's comment and the round's name is shown as text on every page
    that shows it, and no script runs: window.__pwned stays undefined and no dialog opens."""
    dialogs: list[str] = []

    def watch(page: Page) -> Page:
        def record(dialog: Dialog) -> None:
            dialogs.append(f"{dialog.type} on {page.url}: {dialog.message}")
            dialog.dismiss()

        page.on("dialog", record)
        return page

    def check(page: Page) -> None:
        assert page.evaluate("typeof window.__pwned") == "undefined", f"a payload ran on {page.url}"
        assert page.locator("main script, main img, main svg").count() == 0, f"payload markup in {page.url}"
        assert not dialogs, f"dialogs opened: {dialogs}"

    path = submission_path("r4-escape", "ward_a")
    clerk = watch(sign_in(web, "ward_a_clerk", path))
    check(clerk)
    expect(clerk.locator("h1 small")).to_have_text(ROUND_NAME)
    row = row_of(clerk, "counter-FY2022")
    row.locator("input.value-input").fill("320")
    row.locator("textarea").fill(COMMENT)
    clerk.get_by_role("button", name="提出する").click()
    expect(clerk.locator("#state")).to_have_text("提出済")
    check(clerk)
    expect(row_of(clerk, "counter-FY2022").locator("textarea")).to_have_value(COMMENT)

    reviewer = watch(sign_in(web, "reviewer", path))
    check(reviewer)
    assert ROUND_NAME in reviewer.title(), f"the round name is not in the title: {reviewer.title()!r}"
    expect(reviewer.locator(".breadcrumbs")).to_contain_text(ROUND_NAME)
    expect(row_of(reviewer, "counter-FY2022").locator("textarea")).to_have_value(COMMENT)
    reviewer.locator("#review-comment").fill(REVIEW_COMMENT)
    reviewer.get_by_role("button", name="承認する").click()
    expect(reviewer.locator("#state")).to_have_text("承認済")
    check(reviewer)
    expect(reviewer.locator("#events")).to_contain_text(REVIEW_COMMENT)

    web.goto(reviewer, "/collection/mini/r4-escape/")
    check(reviewer)
    expect(reviewer.locator("h1")).to_have_text(ROUND_NAME)

    web.goto(reviewer, "/collection/")
    check(reviewer)
    expect(reviewer.get_by_role("link", name=ROUND_NAME, exact=True)).to_be_visible()

    web.goto(reviewer, "/collection/mini/history/?code=counter&org_unit=ward_a&period=FY2022")
    check(reviewer)
    expect(history_lines(reviewer, "入力", "ward_a_clerk").locator("td").nth(5)).to_have_text(COMMENT)
    published = history_lines(reviewer, "公表", "reviewer").locator("td").nth(5)
    expect(published).to_have_text(f"{ROUND_NAME}: 承認（入力 ward_a_clerk） / {COMMENT}")
    web.assert_clean()


# The pages axe checks: who looks at them, and where.
AXE_PAGES: dict[str, tuple[str | None, str]] = {
    "login": (None, "/login/"),
    "round": ("office", "/collection/mini/r4-look/"),
    "submission": ("office", submission_path("r4-look", "ward_a")),
    "accounts": ("office", "/accounts/"),
    "password": ("ward_a_clerk", "/account/password/"),
}


@pytest.mark.parametrize("lang", ["ja", "en"])
@pytest.mark.parametrize("name", list(AXE_PAGES))
def test_axe(web: Web, name: str, lang: str) -> None:
    """No serious or critical axe violation on the sign-in, round and submission pages; the round is past its
    due date, so the round page shows its overdue list. The submission page is checked again showing the
    problems of a rejected submission (a flagged row, an invalid input)."""
    username, path = AXE_PAGES[name]
    page = web.open(path, lang) if username is None else sign_in(web, username, path, lang)
    check_axe(page, f"collection-{name}-{lang}")
    if name == "round":
        expect(page.locator(".notice--warn li")).to_have_count(3)
    if name == "submission":
        row_of(page, "counter-FY2022H1").locator("input.value-input").fill("12.5")  # a count is whole
        with page.expect_response(lambda r: r.request.method == "POST" and r.status == 400):
            page.locator("#entry-form button[type=submit]:not([value=draft])").click()
        page.wait_for_load_state("load")
        expect(page.locator("#problems")).to_be_visible()
        expect(page.locator("#v-counter-FY2022H1")).to_have_attribute("aria-invalid", "true")
        rejected = ("HTTP 400: POST ", "the server responded with a status of 400")  # the point here
        web.problems[:] = [p for p in web.problems if not any(r in p for r in rejected)]
        check_axe(page, f"collection-{name}-{lang}-problems")
    web.assert_clean()


@pytest.mark.parametrize(("size", "label"), [(DESKTOP, "desktop"), (PHONE, "phone")])
def test_submission_page_fits_the_screen(web: Web, tmp_path: Path, size: ViewportSize, label: str) -> None:
    """The office's view of a unit's form (every series, the files section, the review form) at 1366×768 and
    390×844: nothing wider than the screen except inside the scrolling table, inputs big enough to type
    into, and the item's name still in view when the clerk has scrolled the table to the comment column.
    Screenshots as loaded and while typing a comment go to tmp_path and the artifacts folder."""
    page = sign_in(web, "office", submission_path("r4-look", "ward_a"), "ja", size)
    shots = [tmp_path / f"collection-submission-{label}.png", tmp_path / f"collection-submission-{label}-typing.png"]
    page.screenshot(path=str(shots[0]), full_page=True)
    web.screenshot(page, f"collection-submission-ja-{label}")
    check_no_overflow(page, f"submission page ({label})")
    box = page.locator("#v-counter-FY2022H1").bounding_box()
    assert box is not None and box["width"] >= 80 and box["height"] >= 24, f"value input too small: {box}"

    row = row_of(page, "counter-FY2022H1")
    row.locator("input.value-input").fill("200")
    expect(row.locator(".live-change")).to_have_text("+25.0%（+40）")
    row.locator("textarea").fill("窓口の混雑が続いたため")  # scrolls the table to its last column on a phone
    page.screenshot(path=str(shots[1]), full_page=True)
    web.screenshot(page, f"collection-submission-ja-{label}-typing")
    check_no_overflow(page, f"submission page while typing ({label})")
    frame = page.locator("#entry-form .table-scroll").bounding_box()
    item = row.locator("th").bounding_box()
    comment = row.locator("textarea").bounding_box()
    assert frame and item and comment
    assert frame["x"] - 1 <= item["x"] and item["x"] + item["width"] <= frame["x"] + frame["width"] / 2, (
        f"the item's name scrolled out of view while typing the comment: {item} in {frame}"
    )
    assert comment["x"] >= item["x"] + item["width"] - 1, f"the comment lies under the item's name: {comment}"
    assert comment["x"] + comment["width"] <= frame["x"] + frame["width"] + 1, f"comment cut off: {comment}"
    for shot in shots:
        assert shot.stat().st_size > 10_000, f"{shot} is empty"
    web.assert_clean()
