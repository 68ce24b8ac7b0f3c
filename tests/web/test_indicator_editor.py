"""The office adds and changes indicators on screen, a form per kind, on みなと市.

Every kind of indicator is added through its form and previewed: the preview lists the new figures the
engine computes from the stored series, so a test can check a few against the arithmetic of the inputs.
An operand that would make a cycle is never offered and refused when sent.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import pytest
from django.contrib.auth.models import User
from django.test import Client

from shihyo.core.indicators import IndicatorKind
from shihyo.web.catalogue.evaluation import evaluate_programme
from shihyo.web.catalogue.models import DefinitionRevision
from shihyo.web.collection.models import Membership
from shihyo.web.dashboard.indicator_editor import operand_choices

pytestmark = [pytest.mark.db, pytest.mark.django_db]
NEW = "/catalogue/minato/indicators/new/"
DIGEST = re.compile(r'name="previewed" value="([0-9a-f]+)"')
BASE = re.compile(r'name="base" value="(\d+)"')
PROBLEMS = re.compile(r'<ul class="problems">(.*?)</ul>', re.S)

# one new indicator of each kind, as the office fills its form
FORMS: dict[IndicatorKind, dict[str, object]] = {
    IndicatorKind.VALUE: {"of": "applications_online", "unit": "件"},
    IndicatorKind.RATIO: {"numerator": "applications_online", "denominator": "population", "factor": "10000",
                          "unit": "件"},
    IndicatorKind.SHARE: {"part": "cert_convenience", "total": "cert_total", "unit": "%"},
    IndicatorKind.SUM: {"parts": ["cert_window", "cert_convenience"], "unit": "件"},
    IndicatorKind.YOY_CHANGE: {"of": "cert_total", "unit": "%"},
    IndicatorKind.CHANGE_VS_BASE: {"of": "cert_total", "base_type": "period", "base_period": "FY2019",
                                   "mode": "percent", "unit": "%"},
    IndicatorKind.POINT_DIFFERENCE: {"of": "online_share", "against_type": "previous_year", "unit": "ポイント"},
    IndicatorKind.PER_CAPITA_PER_MONTH: {"total": "overtime_hours", "headcount": "staff", "unit": "時間"},
    IndicatorKind.CUMULATIVE: {"of": "applications_online", "unit": "件"},
    IndicatorKind.INDEX: {"of": "paper_sheets", "base_type": "period", "base_period": "FY2019", "unit": ""},
    IndicatorKind.COVERAGE: {"of": "applications_online", "universe": "50万", "unit": "%"},
    IndicatorKind.EFFECT: {"of": "applications_online", "factor": "20", "divisor": "60", "unit": "時間"},
    IndicatorKind.EXPRESSION: {"expr": "cert_total - cert_window", "unit": "件"},
}  # fmt: skip


def post(client: Client, path: str, form: Mapping[str, object], action: str = "preview") -> tuple[int, str]:
    base = BASE.search(client.get(path + (f"?kind={form['kind']}" if "kind" in form else "")).content.decode())
    assert base
    response = client.post(path, {**form, "base": base.group(1), "action": action})
    return response.status_code, response.content.decode()


def test_every_kind_has_a_form_and_is_added_through_it(office: Client) -> None:
    assert set(FORMS) == set(IndicatorKind), "a form case per kind"
    for kind, params in FORMS.items():
        page = office.get(f"{NEW}?kind={kind.value}").content.decode()
        for key in (k for k in params if not k.endswith(("_type", "_period")) and k != "unit"):
            assert f'name="{key}"' in page, (kind, key)  # the form of this kind asks for its parameters
        code = f"new_{kind.value}"
        form = {"kind": kind.value, "code": code, "name": f"新しい{kind.value}", "decimals": "1", **params}
        status, html = post(office, NEW, form)
        problems = PROBLEMS.search(html)
        assert status == 200, (kind, problems.group(1) if problems else status)
        assert code in html  # the preview lists the new indicator's figures
        digest = DIGEST.search(html)
        assert digest
        done = office.post(NEW, {**form, "base": BASE.search(html).group(1), "previewed": digest.group(1),  # type: ignore[union-attr]
                                 "reason": "指標の追加", "action": "save"})  # fmt: skip
        assert done.status_code == 302, kind
    state = evaluate_programme("minato")
    result = state.result
    assert {f"new_{k.value}" for k in IndicatorKind} <= {i.code for i in state.programme.indicators}
    # a few against the arithmetic of the stored inputs
    total, window = result.value("cert_total", "minato", "FY2021"), result.value("cert_window", "minato", "FY2021")
    assert total is not None and window is not None
    assert result.value("new_expression", "minato", "FY2021") == total - window
    online = result.value("applications_online", "minato", "FY2021")
    assert online is not None and result.value("new_value", "minato", "FY2021") == online
    assert result.value("new_index", "minato", "FY2019") == 100  # the base period itself


def test_changing_an_indicator_shows_the_figures_it_moves_and_keeps_its_chart(office: Client) -> None:
    path = "/catalogue/minato/indicators/online_per_1000/"
    page = office.get(path).content.decode()
    assert 'value="1000"' in page and "applications_online" in page
    form = {"kind": "ratio", "name": "人口1万人当たりのオンライン申請件数", "unit": "件", "decimals": "1",
            "numerator": "applications_online", "denominator": "population", "factor": "10000"}  # fmt: skip
    before = evaluate_programme("minato").result.value("online_per_1000", "minato", "FY2021")
    status, html = post(office, path, form)
    assert status == 200
    assert "<code>factor</code>" in html and "10000" in html  # old → new of the field
    assert "online_per_1000" in html  # the figures that move
    digest = DIGEST.search(html)
    assert digest
    saved = office.post(path, {**form, "base": BASE.search(html).group(1), "previewed": digest.group(1),  # type: ignore[union-attr]
                               "reason": "1万人当たりに変更", "action": "save"})  # fmt: skip
    assert saved.status_code == 302
    after = evaluate_programme("minato").result.value("online_per_1000", "minato", "FY2021")
    assert before is not None and after == before * 10


def test_an_operand_that_would_make_a_cycle_is_not_offered_nor_accepted(office: Client) -> None:
    programme = evaluate_programme("minato").programme
    offered = {c for c, _n in operand_choices(programme, "online_share")}
    assert "online_share" not in offered and "online_share_pt" not in offered  # itself, and one that reads it
    assert "applications_online" in offered
    page = office.get("/catalogue/minato/indicators/online_share/").content.decode()
    assert 'value="online_share_pt"' not in page
    revisions = DefinitionRevision.objects.count()
    form = {"kind": "share", "name": "x", "unit": "%", "decimals": "1", "part": "online_share_pt",
            "total": "applications_total"}  # fmt: skip
    status, html = post(office, "/catalogue/minato/indicators/online_share/", form)
    problems = PROBLEMS.search(html)
    assert status == 400 and problems and "[part]" in problems.group(1)
    assert DefinitionRevision.objects.count() == revisions


@pytest.mark.parametrize(
    ("form", "field"),
    [
        ({"kind": "ratio", "code": "bad_ratio", "name": "x", "unit": "件", "numerator": "applications_online",
          "denominator": "", "factor": "1"}, "denominator"),
        ({"kind": "ratio", "code": "bad_factor", "name": "x", "unit": "件", "numerator": "applications_online",
          "denominator": "population", "factor": "many"}, "factor"),
        ({"kind": "expression", "code": "bad_expr", "name": "x", "unit": "件", "expr": "cert_total +"}, "expr"),
        ({"kind": "expression", "code": "bad_ref", "name": "x", "unit": "件", "expr": "nothing * 2"}, "expr"),
        ({"kind": "index", "code": "bad_base", "name": "x", "unit": "", "of": "paper_sheets", "base_type": "period",
          "base_period": "sometime"}, "base_period"),
        ({"kind": "value", "code": "online_share", "name": "x", "unit": "件", "of": "population"}, "code"),
        ({"kind": "value", "code": "Bad Code", "name": "x", "unit": "件", "of": "population"}, "code"),
        ({"kind": "planet", "code": "p", "name": "x", "unit": "件"}, "kind"),
        ({"kind": "value", "code": "many_decimals", "name": "x", "unit": "件", "of": "population", "decimals": "9"},
         "decimals"),
    ],
)  # fmt: skip
def test_a_broken_indicator_is_refused_by_field(office: Client, form: dict[str, str], field: str) -> None:
    revisions = DefinitionRevision.objects.count()
    base = BASE.search(office.get(NEW).content.decode())
    assert base
    response = office.post(NEW, {"decimals": "0", **form, "base": base.group(1), "action": "preview"})
    assert response.status_code in (400, 404)
    if response.status_code == 400:
        problems = PROBLEMS.search(response.content.decode())
        assert problems and f"[{field}]" in problems.group(1), problems.group(1) if problems else "none"
    assert DefinitionRevision.objects.count() == revisions


def test_only_the_office_reaches_the_indicator_forms(office: Client) -> None:
    user = User.objects.create_user(username="viewer-x", password="indicator-test-password-1")
    Membership.objects.create(user=user, role="viewer", org_units=[])
    viewer = Client()
    viewer.force_login(user)
    for path in (NEW, "/catalogue/minato/indicators/online_share/"):
        assert viewer.get(path).status_code == 403
        assert Client().get(path).status_code == 302
    assert office.get("/catalogue/minato/indicators/no_such/").status_code == 404
    assert office.get(f"{NEW}?kind=planet").status_code == 404
    listing = office.get("/catalogue/minato/series/").content.decode()
    assert "/catalogue/minato/indicators/online_share/" in listing
