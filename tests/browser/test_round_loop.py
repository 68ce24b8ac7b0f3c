"""The half-year round of みなと市 from start to finish in Chromium, as the city runs it.

The 北区 clerk sees only the wards' series, saves a draft and submits; the 人事部 clerk sees only the
departments' series and submits; the reviewer approves two wards, and the public indicator page shows those
two wards' figures and the city's share as provisional (「7区中2区」, the others named); the reminder for a
late ward reaches its clerk through a real SMTP server; once every ward is in and approved the city's figure
is final and equals the one computed from the wards' figures. The server, the CLI and the SMTP server
(aiosmtpd, in this process) are real; nothing is set up through the ORM.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from shihyo.core.clock import today
from tests.browser.conftest import MINATO, Web, serving
from tests.browser.test_collection import Shihyo
from tests.smtp import Inbox, smtp_server

PASSWORD = "browser-round-loop-password-1"
ROUND = "r6-h1"
PERIOD = "FY2024H1"
WARDS = ("kita", "minami", "higashi", "nishi", "chuo", "kaigan", "yamate")


def _last_half(code: str) -> dict[str, int]:
    """Each ward's FY2023H2 figure of a series, read from the programme's raw rows."""
    rows = csv.DictReader((MINATO / "observations.csv").read_text(encoding="utf-8-sig").splitlines())
    return {r["org_unit"]: int(r["value"]) for r in rows if r["code"] == code and r["period"] == "FY2023H2"}


# applications received and those made online, per ward: a little more than in the half-year before
_TOTALS, _ONLINE = _last_half("applications_total"), _last_half("applications_online")
FIGURES = {ward: (_TOTALS[ward] * 103 // 100, _ONLINE[ward] * 106 // 100) for ward in WARDS}
ACCOUNTS = {
    "office": ("admin", ()),
    "reviewer": ("reviewer", ()),
    "kita": ("submitter", ("kita",)),
    "jinji": ("submitter", ("jinji",)),
    "kaigan": ("submitter", ("kaigan",)),  # the clerk of a ward that is late
}


@pytest.fixture(scope="module")
def inbox() -> Iterator[tuple[Inbox, int]]:
    with smtp_server() as running:
        yield running


@pytest.fixture(scope="module")
def city(tmp_path_factory: pytest.TempPathFactory, inbox: tuple[Inbox, int]) -> Shihyo:
    """みなと市 loaded, the accounts made and round R6年度上期 opened by the CLI, mail through the SMTP server."""
    command = Shihyo(tmp_path_factory.mktemp("shihyo-round-loop"))
    command.env.update({"SHIHYO_SMTP_HOST": "127.0.0.1", "SHIHYO_SMTP_PORT": str(inbox[1])})
    command("load", str(MINATO), "--by", "browser-tests", "--reason", "round loop")
    for username, (role, units) in ACCOUNTS.items():
        options = [option for unit in units for option in ("--org-unit", unit)]
        options += ["--email", f"{username}@minato.example.jp"]
        command("user", "add", username, "--role", role, *options, "--password-stdin", stdin=PASSWORD + "\n")
    due = (today() + timedelta(days=2)).isoformat()  # the server and the CLI read the wall clock
    series = ("applications_total", "applications_online", "overtime_hours", "staff")
    options = [option for code in series for option in ("--series", code)]
    command("round", "open", ROUND, "--name", "R6年度上期", "--period", "R6上期", "--due", due, *options)
    return command


@pytest.fixture(scope="module")
def site(city: Shihyo, artifacts: Path) -> Iterator[str]:
    with serving(city.home, city.env, artifacts / "round-loop-server.log", "/login/") as url:
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


def unit_path(unit: str) -> str:
    return f"/collection/minato/{ROUND}/{unit}/"


def enter(page: Page, ward: str) -> None:
    total, online = FIGURES[ward]
    page.locator(f"#v-applications_total-{PERIOD}").fill(f"{total:,}")
    page.locator(f"#v-applications_online-{PERIOD}").fill(str(online))
    for box in page.locator("textarea").all():  # big changes against last half-year need a reason
        box.fill("受付方法の変更による")


def submit(page: Page) -> None:
    page.get_by_role("button", name="提出する").click()
    expect(page.locator("#state")).to_have_text("提出済")


def approve(web: Web, reviewer: Page, unit: str) -> None:
    web.goto(reviewer, unit_path(unit))
    reviewer.get_by_role("button", name="承認する").click()
    expect(reviewer.locator("#state")).to_have_text("承認済")


def share(wards: tuple[str, ...]) -> str:
    total = sum(FIGURES[w][0] for w in wards)
    online = sum(FIGURES[w][1] for w in wards)
    return f"{(Decimal(online) / Decimal(total) * 100).quantize(Decimal('0.1'), ROUND_HALF_UP)}%"


def test_a_half_year_round_from_the_wards_to_the_final_city_figure(
    web: Web, city: Shihyo, inbox: tuple[Inbox, int]
) -> None:
    mail = inbox[0]
    assert any("R6年度上期" in s for s in mail.subjects_to("kita@")), "the clerks were told the round opened"

    ward = sign_in(web, "kita", unit_path("kita"))
    fields = sorted(ward.locator("input.value-input").evaluate_all("(inputs) => inputs.map((i) => i.name)"))
    assert fields == [f"v-applications_online-{PERIOD}", f"v-applications_total-{PERIOD}"], "only the wards' series"
    ward.locator(f"#v-applications_total-{PERIOD}").fill(f"{FIGURES['kita'][0]:,}")
    ward.get_by_role("button", name="下書き保存").click()
    expect(ward.locator("#state")).to_have_text("入力中")
    expect(ward.locator("#empty-count")).to_contain_text("未入力の項目が 1 件")
    enter(ward, "kita")
    submit(ward)

    department = sign_in(web, "jinji", unit_path("jinji"))
    names = department.locator("input.value-input").evaluate_all("(inputs) => inputs.map((i) => i.name)")
    assert sorted(names) == [f"v-overtime_hours-{PERIOD}", f"v-staff-{PERIOD}"], "only the departments' series"
    department.locator(f"#v-overtime_hours-{PERIOD}").fill("2,400")
    department.locator(f"#v-staff-{PERIOD}").fill("120")
    for box in department.locator("textarea").all():
        box.fill("繁忙期のため")
    submit(department)

    office = sign_in(web, "office", unit_path("minami"))
    enter(office, "minami")
    submit(office)
    reviewer = sign_in(web, "reviewer", unit_path("kita"))
    for unit in ("kita", "minami"):
        approve(web, reviewer, unit)

    public = web.new_page()
    page_of_share = f"/indicators/online_share/?programme=minato&period={PERIOD}"
    web.goto(public, page_of_share)
    expect(public.locator(".mark--provisional").first).to_have_text("暫定 (7区中2区)")
    expect(public.locator(".missing").first).to_contain_text("海岸区")
    units = public.locator("table.units tbody tr")
    expect(units).to_have_count(len(WARDS))
    for name, code in (("北区", "kita"), ("南区", "minami")):
        expect(units.filter(has_text=name)).to_contain_text(share((code,)))
    expect(public.locator(".facts")).to_contain_text(share(("kita", "minami")))
    web.screenshot(public, "round-loop-provisional-ja")

    reminded = city("round", "remind", "--programme", "minato")
    assert f"{ROUND}: " in reminded and "0 not sent" in reminded
    late = mail.subjects_to("kaigan@")
    assert any("提出期限" in s and "近づいています" in s for s in late), late
    assert not any("近づいています" in s for s in mail.subjects_to("kita@")), "an approved ward is not reminded"

    for code in WARDS[2:]:
        web.goto(office, unit_path(code))
        enter(office, code)
        submit(office)
        approve(web, reviewer, code)
    web.goto(public, page_of_share)
    expect(public.locator(".mark--provisional")).to_have_count(0)
    expect(public.locator("#units-chart canvas, #units-chart svg").first).to_be_visible()  # the wards side by side
    web.screenshot(public, "round-loop-final-ja")
    expect(public.locator(".facts")).to_contain_text(share(WARDS))
    web.assert_clean()
