"""Every status badge sits with the target it judges: the overview's cards and the indicator page, ja and en.

The overview HTML is parsed card by card; for each card the badge, the judged target (its period and value,
and 目安（直線補間） where it is the interpolated path), the final target, 進捗率 and grade, and the projection
must all be printed inside that same card, as the engine computed them.
"""

from __future__ import annotations

import re
from datetime import datetime
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from shihyo.core import labels
from shihyo.core.formatting import format_value
from shihyo.core.judgement_text import judged_target, projection_text
from shihyo.core.overview import main_org_unit, overview
from shihyo.core.periods import Period, fiscal_year
from shihyo.core.targets import Status
from shihyo.io.directory import read_programme_dir
from shihyo.web.catalogue.evaluation import evaluate_programme
from shihyo.web.catalogue.repository import save_dataset
from tests.conftest import KOBE

pytestmark = [pytest.mark.db, pytest.mark.django_db]
T0 = datetime(2022, 7, 1, 9, 0, tzinfo=ZoneInfo("Asia/Tokyo"))
MINATO = KOBE.parent / "minato"


class Cards(HTMLParser):
    """The text of each `<li class="card">`, keyed by the indicator code its title links to."""

    def __init__(self) -> None:
        super().__init__()
        self.cards: dict[str, str] = {}
        self.badges: dict[str, list[str]] = {}
        self._depth = 0
        self._code = ""
        self._text: list[str] = []
        self._in_badge = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        classes = (a.get("class") or "").split()
        if tag == "li" and "card" in classes and not self._depth:
            self._depth, self._code, self._text = 1, "", []
        elif tag == "li" and self._depth:
            self._depth += 1
        if self._depth and tag == "a" and not self._code:
            found = re.search(r"/indicators/([a-z0-9_]+)/", a.get("href") or "")
            self._code = found.group(1) if found else ""
        self._in_badge = self._depth > 0 and tag == "span" and "badge" in classes

    def handle_endtag(self, tag: str) -> None:
        if tag == "li" and self._depth:
            self._depth -= 1
            if not self._depth and self._code:
                self.cards[self._code] = " ".join(" ".join(self._text).split())
        if tag == "span":
            self._in_badge = False

    def handle_data(self, data: str) -> None:
        if self._depth:
            self._text.append(data)
            if self._in_badge and data.strip():
                self.badges.setdefault(self._code, []).append(data.strip())


def cards_of(html: str) -> Cards:
    parser = Cards()
    parser.feed(html)
    return parser


def check_every_card(client: Client, lang: str, period: Period | None = None) -> int:
    """Parse the overview and check each card against the engine; returns how many cards judge a target."""
    query = f"?period={period.key}" if period else ""
    if lang == "en":
        client.cookies["shihyo_language"] = "en"
    response = client.get(f"/{query}")
    assert response.status_code == 200
    page = cards_of(response.content.decode())
    state = evaluate_programme()
    programme = state.result.programme
    chosen = period or programme.report_period
    groups = overview(state.result, state.evaluations, state.reconciliations, chosen, main_org_unit(programme))
    judged = 0
    for card in (c for g in groups for c in g.cards):
        text = page.cards[card.indicator.code]
        assert page.badges[card.indicator.code] == [labels.label(card.status, lang)], card.indicator.code
        if card.target is None:
            continue
        judged += 1
        e, ind = card.target, card.indicator
        words = judged_target(e, ind, programme.wareki_style, lang)
        assert words.judged in text, (card.indicator.code, words.judged, text)
        # the judged target's period and value, and the final target's, are printed in this very card
        assert e.compared_period.label(programme.wareki_style, lang) in text
        assert format_value(e.compared_with, ind.unit, ind.decimals, lang) in text
        assert format_value(e.final.value, ind.unit, ind.decimals, lang) in text
        assert e.final.period.label(programme.wareki_style, lang) in text
        if not e.judged_set:
            assert ("目安（直線補間）" if lang == "ja" else "guide (linear interpolation)") in words.judged
        if words.grade:
            assert words.grade in text and words.progress in text
        if card.projection is not None:
            p = projection_text(card.projection, ind, programme.wareki_style, lang)
            assert p.target in text and p.projected in text
    return judged


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_kobe_cards_print_the_target_each_badge_judges(client: Client, lang: str) -> None:
    save_dataset(read_programme_dir(KOBE), now=T0, recorded_by="office", reason="test load")
    assert check_every_card(client, lang) >= 8
    html = client.get("/").content.decode()
    if lang == "ja":
        # smart_coverage R3: 35.2% judged against R3's 33.2% (達成), the final target R7 70.0% beside it
        smart = cards_of(html).cards["smart_coverage"]
        assert "R3年度目標 33.2%" in smart and "70.0% (R7)" in smart and "達成" in smart
        # a year with no set target is not judged against the interpolated guide
        assert check_every_card(client, lang, fiscal_year(2019)) >= 5
        mnc = cards_of(client.get("/?period=FY2019").content.decode()).cards["mnc_rate"]
        assert "目標年度前" in mnc and "R3年度目標 50.0%" in mnc and "目安（直線補間） H31/R1年度 32.1%" in mnc


def test_minato_cards_on_a_binding_path(client: Client) -> None:
    """みなと市 makes its path binding: R4 (no set point) is judged against the path, and says so."""
    save_dataset(read_programme_dir(MINATO), now=T0, recorded_by="office", reason="test load")
    assert check_every_card(client, "ja", fiscal_year(2022)) == 3
    html = client.get("/?programme=minato&period=FY2022").content.decode()
    online = cards_of(html).cards["online_share"]
    assert "R4年度 目安（直線補間） 32.5%" in online and "遅れ" in online
    state = evaluate_programme()
    statuses = {e.status for e in state.evaluations}
    assert Status.ON_TRACK in statuses and Status.NOT_DUE not in statuses  # the path is binding throughout


def test_indicator_page_prints_judged_target_grade_and_projection(client: Client) -> None:
    save_dataset(read_programme_dir(KOBE), now=T0, recorded_by="office", reason="test load")
    html = client.get("/indicators/mnc_rate/").content.decode()
    text = " ".join(re.sub(r"<[^>]+>", " ", html).split())
    assert "R3年度目標 50.0%" in text and "最終目標" in text and "75.0% R4" in text
    assert "進捗率 103.1%（R3年度目標に対して）" in text and "評価 S" in text
    # the projection states its method, inputs and paces, and is marked as a projection
    assert "目標年度までの予測" in text and "R4年度目標 75.0%" in text and "予測 65.4% (届かない見込み)" in text
    assert "直線トレンド（直近3年度）" in text
    assert "H31/R1 21.5%、R2 34.9%、R3 51.1%" in text and "年+23.9ポイント" in text
    smart = " ".join(re.sub(r"<[^>]+>", " ", client.get("/indicators/smart_coverage/").content.decode()).split())
    assert "直線トレンドには直近3年度分の実績が必要ですが、2年度分しかありません" in smart
