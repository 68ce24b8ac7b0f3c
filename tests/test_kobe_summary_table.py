"""Kobe's 主要指標一覧表, built from its definition (examples/kobe/summary_table.yaml), against the seed's table.

tests/fixtures/seed/kobe_summary_table.tsv is the seed's table as printed. Row for row, the labels must be
the seed's and every cell must show the seed's figure at the seed's precision, or ― where the seed prints
none. The cells that differ are exactly the seed's own inconsistencies, listed below with the reason.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest

from shihyo.core.engine import EvaluationRequest, EvaluationResult, evaluate, revisions_frame
from shihyo.core.model import ShowPolicy
from shihyo.core.numbers import NumberParseError, parse_japanese_number
from shihyo.core.official import Resolutions, resolve
from shihyo.core.reconcile import reconcile, round_to_precision
from shihyo.core.summary_table import PUBLISHED, SummarySection, summary_notes, summary_table, summary_years
from shihyo.io.directory import read_programme_dir
from tests.conftest import KOBE

SEED_TABLE = Path(__file__).parent / "fixtures" / "seed" / "kobe_summary_table.tsv"
YEARS = ("H29", "H30", "H31/R1", "R2", "R3", "R4")

# (row label, year) → why shihyo's figure is not the seed's (examples/kobe/COVERAGE.md, "inconsistencies")
KNOWN_DIFFERENCES = {
    ("複合機の印刷比率", "H31/R1"): "17,717,972 ÷ 124,370,016 = 14.2%; the seed prints 14.3%",
    ("⑫一人当たり平均超過勤務時間", "H29"): "1,971,477 ÷ 10,227 ÷ 12 = 16.06; the seed prints 16.2",
    ("前年度比増減率@⑫一人当たり平均超過勤務時間", "H30"): "from 16.06 to 15.26 is ▲4.9%; the seed prints -5.6%",
    ("前年度比増減率@⑫一人当たり平均超過勤務時間", "R2"): "from 14.68 to 14.32 is ▲2.5%; the seed prints -2.6%",
}


@dataclass(frozen=True)
class SeedRow:
    section: str
    label: str
    cells: tuple[str, ...]


def seed_rows() -> list[SeedRow]:
    rows, section = [], ""
    for line in SEED_TABLE.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        if line[0] in "➊➋":
            section = line
            continue
        label, *cells = line.split("\t")
        rows.append(SeedRow(section, label, tuple(cells)))
    return rows


def nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


@pytest.fixture(scope="module")
def result() -> EvaluationResult:
    kobe = read_programme_dir(KOBE)
    return evaluate(EvaluationRequest(kobe.programme, revisions_frame(kobe.observations)))


def _resolved(result: EvaluationResult, policy: ShowPolicy | None) -> Resolutions:
    return resolve(reconcile(result), (), policy)


@pytest.fixture(scope="module")
def sections(result: EvaluationResult) -> list[SummarySection]:
    """The table as the recomputation reads (the policy `show: recomputed`, no decisions)."""
    return summary_table(result, summary_years(result), "ja", _resolved(result, ShowPolicy.RECOMPUTED))


@pytest.fixture(scope="module")
def official(result: EvaluationResult) -> list[SummarySection]:
    """The table as Kobe publishes it: its policy `show: published`, no decisions yet."""
    return summary_table(result, summary_years(result), "ja", _resolved(result, result.programme.show_when_differs))


def test_the_columns_are_the_seeds_years(result: EvaluationResult) -> None:
    assert [y.label(result.programme.wareki_style) for y in summary_years(result)] == list(YEARS)


def test_the_sections_are_the_seeds_headings(sections: list[SummarySection], result: EvaluationResult) -> None:
    seed = list(dict.fromkeys(r.section for r in seed_rows()))
    pillars = [p.name for p in result.programme.pillars]
    assert len(sections) == len(seed)
    for ours, theirs in zip(sections, seed, strict=True):
        number, area = theirs.split(" ", 1)
        assert ours.pillar == pillars["➊➋".index(number)]
        assert area in ours.title


def test_row_for_row_as_the_seed(sections: list[SummarySection]) -> None:
    seed = seed_rows()
    ours = [(s.title, r) for s in sections for r in s.rows]
    assert [nfkc(r.name) for _, r in ours] == [nfkc(r.label) for r in seed]
    differences: dict[tuple[str, str], str] = {}
    parent = ""
    for (_, row), theirs in zip(ours, seed, strict=True):
        if row.depth == 0:
            parent = theirs.label
        key = theirs.label if (theirs.label, "") not in _ambiguous(seed) else f"{theirs.label}@{parent}"
        for year, cell, printed in zip(YEARS, row.cells, theirs.cells, strict=True):
            expected = _figure(printed)
            if expected is None:
                assert cell.text == "―" and cell.value is None, (theirs.label, year, cell)
                continue
            value, precision = expected
            assert cell.value is not None, (theirs.label, year, printed)
            if round_to_precision(cell.value, precision) != value:
                differences[(key, year)] = f"{cell.text} ≠ {printed}"
    assert set(differences) == set(KNOWN_DIFFERENCES), differences


def test_a_published_figure_fills_only_what_cannot_be_recomputed(sections: list[SummarySection]) -> None:
    published = {
        (r.code, YEARS[i]) for s in sections for r in s.rows for i, c in enumerate(r.cells) if c.kind == PUBLISHED
    }
    # R4 45.0% is a published plan of the coverage; the H29 changes on the year before need FY2016, not in the seed
    assert published == {
        ("smart_coverage", "R4"),
        ("cc_answered_yoy", "H29"),
        ("sb_total_yoy", "H29"),
        ("overtime_monthly_avg_yoy", "H29"),
    }


def test_the_table_as_text(
    sections: list[SummarySection], result: EvaluationResult, golden: Callable[[str, str], None]
) -> None:
    for lang in ("ja", "en"):
        years = summary_years(result)
        lines = ["\t".join(["", *(y.label(result.programme.wareki_style, lang) for y in years)])]
        table = summary_table(result, years, lang, _resolved(result, result.programme.show_when_differs))
        for s in table:
            lines.append(f"# {s.title}")
            for r in s.rows:
                marks = [c.text + ("*" if c.kind == PUBLISHED else "") for c in r.cells]
                lines.append("\t".join(["  " * r.depth + r.name, *marks]))
        lines += [f"# {note}" for note in summary_notes(table)]
        golden(f"kobe_summary_table_{lang}.tsv", "\n".join(lines) + "\n")


def _cells(sections: list[SummarySection]) -> dict[tuple[str, str], tuple[str, Decimal | None, str]]:
    """(row label@parent, year) → (text, value, mark) of every cell."""
    out = {}
    parent = ""
    for s in sections:
        for r in s.rows:
            parent = r.name if not r.depth else parent
            for year, c in zip(YEARS, r.cells, strict=True):
                out[(f"{r.name}@{parent}", year)] = (c.text, c.value, c.mark)
    return out


def test_a_disputed_cell_is_marked_whichever_value_is_official(
    sections: list[SummarySection], official: list[SummarySection], result: EvaluationResult
) -> None:
    recomputed, published = _cells(sections), _cells(official)
    marked = {k for k, (_, _, mark) in published.items() if mark}
    # the same cells carry a mark under either policy: where the published figure and the recomputation differ
    assert marked == {k for k, (_, _, mark) in recomputed.items() if mark}
    # every seed inconsistency the recomputation shows is one of them (a mark, never a silent difference)
    assert {("複合機の印刷比率", "H31/R1"), ("⑫一人当たり平均超過勤務時間", "H29")} <= {
        (label.split("@")[0], year) for label, year in marked
    }
    resolutions = _resolved(result, ShowPolicy.PUBLISHED)
    for key in marked:
        (text, value, mark) = published[key]
        assert text.endswith(mark) and value is not None
        assert value != recomputed[key][1]  # the official published figure, not the recomputation
    # elsewhere the two tables are the same
    assert {k: v for k, v in published.items() if k not in marked} == {
        k: v for k, v in recomputed.items() if k not in marked
    }
    h29 = published[("⑫一人当たり平均超過勤務時間@⑫一人当たり平均超過勤務時間", "H29")]
    assert h29[:2] == ("16.2時間" + h29[2], Decimal("16.2"))
    assert len(resolutions.differing()) >= len(marked)


def test_the_notes_say_the_other_value_and_why(official: list[SummarySection], sections: list[SummarySection]) -> None:
    notes = summary_notes(official)
    marks = [c.mark for s in official for r in s.rows for c in r.cells if c.mark]
    assert [n.split(" ", 1)[0] for n in notes] == marks == [f"※{i}" for i in range(1, len(marks) + 1)]
    (h29,) = [n for n in notes if "（H29）" in n and "超過勤務" in n]
    assert "公表値16.2・再計算値16.1" in h29 and "方針により公表値を表示" in h29
    assert all("方針により再計算値を表示" in n for n in summary_notes(sections))


def _ambiguous(seed: list[SeedRow]) -> set[tuple[str, str]]:
    labels = [r.label for r in seed]
    return {(label, "") for label in labels if labels.count(label) > 1}


def _figure(printed: str) -> tuple[Decimal, Decimal] | None:
    """The seed cell's value and precision; None where it prints no figure (―, ー, nothing, a remark)."""
    text = nfkc(printed).strip().removesuffix("Pt")
    if text in ("", "―", "ー", "-"):
        return None
    try:
        parsed = parse_japanese_number(text)
    except NumberParseError:
        return None
    return parsed.value, parsed.precision
