from __future__ import annotations

from decimal import Decimal

from shihyo.core.engine import EvaluationRequest, evaluate, revisions_frame
from shihyo.core.model import Dataset
from shihyo.core.reconcile import Verdict, reconcile, round_to_precision, show_like


def test_round_to_precision() -> None:
    assert round_to_precision(Decimal("16.0643"), Decimal("0.1")) == Decimal("16.1")
    assert round_to_precision(Decimal("326284"), Decimal("10000")) == Decimal("330000")
    assert round_to_precision(Decimal("-14.65"), Decimal("0.1")) == Decimal("-14.7")


def test_show_like_writes_the_recomputation_the_published_way() -> None:
    assert show_like("▲59万", Decimal("-585924")) == "▲59万"
    assert show_like("35.2%", Decimal("35.17")) == "35.2%"
    assert show_like("16.2", None) == "―"


def test_mini_reconciliation(mini: Dataset) -> None:
    found = reconcile(evaluate(EvaluationRequest(mini.programme, revisions_frame(mini.observations))))
    by_code = {(r.code, r.period.key): r for r in found}
    overtime = by_code[("overtime_avg", "FY2017")]
    assert overtime.verdict is Verdict.DIFFERS
    assert overtime.computed_rounded == Decimal("16.1") and overtime.reported == Decimal("16.2")
    assert overtime.working == "1,971,477 ÷ 10,227 ÷ 12 = 16.0643"
    assert by_code[("online_share", "FY2018")].verdict is Verdict.AGREES
    assert by_code[("total", "FY2018")].verdict is Verdict.AGREES  # 1,050 is 1千 at the published precision
    assert by_code[("total_yoy", "FY2017")].verdict is Verdict.NOT_COMPUTABLE
    assert len(found) == sum(1 for o in mini.observations if o.kind.value == "reported")
