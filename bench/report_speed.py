"""How long the annual report takes to write, per format: Kobe, and a synthetic 200-indicator programme.

    python bench/report_speed.py [--formats pdf pptx xlsx] [--indicators 200] [--repeat 1] [--keep DIR]

For each programme: evaluate, build the report model once (`shihyo.core.report.build_report`), then write
every format with `shihyo.reports.build.write_reports`, timing each writer (the progress callback marks
when each format starts). A format whose writer is not there yet (its `render` module does not import) is
reported as missing and the others are timed one by one, as `write_reports` would call them.

The synthetic programme is `bench.synthetic.make_programme` (a small organisation: 30 municipalities in 5
prefectures, 60 series in six themes, 8 fiscal years) given a roadmap with core model types: three
pillars of two areas each (one theme per area), every indicator a key indicator (so one page and chart
each), the channel counts declared as the breakdown of their total, and the chart kinds of a real report:
stacked parts, bars with a ratio line, a comparison with two prefectures, an index against its path.

Prints seconds per format, the writers' total and the time to evaluate and build the model. The Kobe
goal's reference is measured in the same run: the same report with its PDF charts converted from Vega-Lite
to PNG by vl-convert, as the PDF writer did before it drew them as SVG itself (the figure, less the time of
drawing the charts as SVG, plus the time of converting them). Target: Kobe
in all three formats within 5 s. Exit status 0 when the target is met with all three formats, 1 when it is
missed, 2 when a format is missing (the target cannot be judged).
"""

from __future__ import annotations

import argparse
import dataclasses
import importlib
import platform
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the `bench` package importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.goals import print_goal
from bench.synthetic import THEMES, make_programme
from shihyo import examples
from shihyo.core.charts import vega_lite
from shihyo.core.charts.svg import chart_svg
from shihyo.core.engine import EvaluationRequest, evaluate, revisions_frame
from shihyo.core.indicators import Chart, ChartKind, Indicator
from shihyo.core.model import Area, OrgUnitKind, PartRelation, Pillar, Programme
from shihyo.core.periods import fiscal_year
from shihyo.core.reconcile import reconcile
from shihyo.core.report import Report, build_report
from shihyo.core.targets import evaluate_targets
from shihyo.fonts import chart_png, register_chart_fonts
from shihyo.io.directory import read_programme_dir
from shihyo.reports.build import FORMATS, write_reports
from shihyo.reports.pdf.render import CHART_HEIGHT, CHART_WIDTH

ROOT = Path(__file__).resolve().parent.parent
KOBE = examples.path("kobe")
TARGET_SECONDS = 5.0
GOAL_KOBE_SECONDS = 1.5  # issue 14: Kobe, all three formats, the model included
GOAL_LARGE_SECONDS = 8.0  # issue 14: a 200-indicator programme
Writer = Callable[[Report, Path], Path]


@dataclass(frozen=True)
class Timing:
    programme: str
    indicators: int
    pages: int
    prepare: float  # evaluate and build the report model
    formats: dict[str, float]  # seconds per written format
    sizes: dict[str, int]  # bytes per written file
    charts: tuple[float, float] | None = None  # the PDF's charts as SVG, and through Vega-Lite (`chart_seconds`)

    @property
    def total(self) -> float:
        return sum(self.formats.values())


# --- the programmes ---------------------------------------------------------------------------------


def kobe_report(lang: str) -> tuple[Report, int]:
    dataset = read_programme_dir(KOBE)
    result = evaluate(EvaluationRequest(dataset.programme, revisions_frame(dataset.observations)))
    period = dataset.programme.report_period or fiscal_year(2021)
    report = build_report(
        result,
        evaluate_targets(result),
        reconcile(result),
        period,
        lang=lang,
        as_of_label="bench",
        data_version="bench",
    )
    return report, len(dataset.programme.indicators)


def _theme_of(code: str) -> str:
    for theme, _ in THEMES:
        if re.search(rf"_{theme}(_r\d+)?$", code):
            return theme
    return THEMES[0][0]


def _chart(indicator: Indicator, theme: str, prefectures: tuple[str, ...]) -> Chart | None:
    key = indicator.code.removesuffix(f"_{theme}")
    if key == "total":
        return Chart(ChartKind.STACKED, parts=(f"online_{theme}", f"counter_{theme}"))
    if key == "online_share":
        return Chart(ChartKind.BAR_LINE, bars=f"online_{theme}")
    if key == "overtime":
        return Chart(ChartKind.COMPARISON, compare=prefectures[:2])
    if key in ("counter_index", "print_index"):
        return Chart(ChartKind.INDEX_TARGET)
    return None


def with_roadmap(programme: Programme) -> Programme:
    """The synthetic programme with pillars and areas (every indicator a key indicator), parts and charts."""
    prefectures = tuple(u.code for u in programme.org_units if u.kind is OrgUnitKind.BUREAU)
    indicators = tuple(
        dataclasses.replace(i, chart=_chart(i, _theme_of(i.code), prefectures)) for i in programme.indicators
    )
    by_theme: dict[str, list[str]] = {}
    for indicator in indicators:
        by_theme.setdefault(_theme_of(indicator.code), []).append(indicator.code)
    codes = {i.code for i in indicators}
    series = tuple(
        dataclasses.replace(s, part_of=f"total_{theme}", relation=PartRelation.BREAKDOWN)
        if (theme := _theme_of(s.code))
        and s.code in (f"online_{theme}", f"counter_{theme}")
        and f"total_{theme}" in codes
        else s
        for s in programme.series
    )
    names = ("市民サービス改革", "業務改革", "職員の働き方改革")
    themes = [t for t in THEMES if t[0] in by_theme]
    pillars = tuple(
        Pillar(
            code=f"P{p + 1}",
            name=name,
            areas=tuple(
                Area(code=f"P{p + 1}.A{a + 1}", name=f"{label}分野", indicators=tuple(by_theme[theme]))
                for a, (theme, label) in enumerate(themes[p * 2 : p * 2 + 2])
            ),
        )
        for p, name in enumerate(names)
    )
    return dataclasses.replace(programme, pillars=pillars, indicators=indicators, series=series)


def synthetic_report(indicators: int, municipalities: int, lang: str) -> tuple[Report, int]:
    programme, revisions = make_programme(
        municipalities=municipalities, series=60, years=8, indicators=indicators, prefectures=5
    )
    programme = with_roadmap(programme)
    result = evaluate(EvaluationRequest(programme, revisions))
    period = programme.report_period or fiscal_year(2021)
    report = build_report(
        result,
        evaluate_targets(result),
        reconcile(result),
        period,
        lang=lang,
        as_of_label="bench",
        data_version="bench",
    )
    return report, len(programme.indicators)


# --- timing ---------------------------------------------------------------------------------------------


def chart_seconds(report: Report) -> tuple[float, float]:
    """Seconds to draw the report's PDF charts as SVG (today) and to convert them Vega-Lite → PNG (before)."""
    register_chart_fonts()
    charts = [p.chart for p in report.indicator_pages]
    start = time.perf_counter()
    for chart in charts:
        chart_svg(chart, report.lang, CHART_WIDTH, CHART_HEIGHT)
    drawn = time.perf_counter() - start
    start = time.perf_counter()
    for chart in charts:  # the former page copy: no title, the page's height, 2.5× scale
        spec = {k: v for k, v in vega_lite(chart, report.lang).items() if k != "title"} | {"height": CHART_HEIGHT}
        chart_png(spec, CHART_WIDTH, 2.5)
    return drawn, time.perf_counter() - start


def available(formats: Sequence[str]) -> tuple[dict[str, Writer], dict[str, str]]:
    """The writers that import, and why the others do not."""
    found: dict[str, Writer] = {}
    missing: dict[str, str] = {}
    for fmt in formats:
        try:
            module = importlib.import_module(f"shihyo.reports.{fmt}.render")
            found[fmt] = getattr(module, f"write_{fmt}")
        except (ImportError, AttributeError) as exc:
            missing[fmt] = f"{type(exc).__name__}: {exc}"
    return found, missing


def time_writers(
    report: Report, formats: Sequence[str], out_dir: Path, stem: str
) -> tuple[dict[str, float], dict[str, int]]:
    """Seconds per format: with `write_reports` when every writer is there, else each writer on its own."""
    writers, missing = available(formats)
    seconds: dict[str, float] = {}
    if not missing:
        marks: list[tuple[str, float]] = []
        written = write_reports(
            report, list(formats), out_dir, stem, lambda fmt: marks.append((fmt, time.perf_counter()))
        )
        end = time.perf_counter()
        for (fmt, start), nxt in zip(marks, [m[1] for m in marks[1:]] + [end], strict=True):
            seconds[fmt] = nxt - start
    else:
        written = []
        out_dir.mkdir(parents=True, exist_ok=True)
        for fmt, writer in writers.items():
            start = time.perf_counter()
            written.append(writer(report, out_dir / f"{stem}.{fmt}"))
            seconds[fmt] = time.perf_counter() - start
    sizes = {p.suffix.lstrip("."): p.stat().st_size for p in written}
    return seconds, sizes


def measure(
    name: str,
    make: Callable[[], tuple[Report, int]],
    formats: Sequence[str],
    out_dir: Path,
    repeat: int,
    reference: bool = False,
) -> Timing:
    start = time.perf_counter()
    report, indicators = make()
    prepare = time.perf_counter() - start
    runs = [time_writers(report, formats, out_dir, f"{name}_{n}") for n in range(repeat)]
    seconds = {fmt: statistics.median(r[0][fmt] for r in runs) for fmt in runs[0][0]}
    charts = chart_seconds(report) if reference and "pdf" in formats else None
    return Timing(name, indicators, len(report.indicator_pages), prepare, seconds, runs[0][1], charts)


def show(timings: list[Timing], formats: Sequence[str], missing: dict[str, str], repeat: int) -> None:
    print(f"python {platform.python_version()} on {platform.machine()} ({platform.system()}); ", end="")
    print(f"seconds per format{' (median of ' + str(repeat) + ' runs)' if repeat > 1 else ''}")
    head = f"{'programme':<14}{'indicators':>11}{'pages':>7}{'model':>8}" + "".join(f"{f:>8}" for f in formats)
    print(head + f"{'writers':>9}")
    for t in timings:
        cells = "".join(f"{t.formats[f]:>8.2f}" if f in t.formats else f"{'—':>8}" for f in formats)
        print(f"{t.programme:<14}{t.indicators:>11}{t.pages:>7}{t.prepare:>8.2f}{cells}{t.total:>9.2f}")
    for t in timings:
        sizes = ", ".join(f"{fmt} {size / 1024:,.0f} KiB" for fmt, size in t.sizes.items())
        print(f"  {t.programme}: {sizes}")
    for fmt, why in missing.items():
        print(f"  {fmt}: not timed, its writer is not there yet ({why})")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--formats", nargs="+", default=list(FORMATS), choices=FORMATS)
    parser.add_argument("--indicators", type=int, default=200, help="indicators of the synthetic programme")
    parser.add_argument("--municipalities", type=int, default=30, help="municipalities of the synthetic programme")
    parser.add_argument("--lang", default="ja", choices=("ja", "en"))
    parser.add_argument("--repeat", type=int, default=1, help="write each format this many times (median)")
    parser.add_argument("--keep", type=Path, help="write the files here and keep them (default: a temporary folder)")
    args = parser.parse_args(argv)
    if not 1 <= args.repeat <= 20 or not 1 <= args.indicators <= 2000 or not 1 <= args.municipalities <= 1741:
        parser.error("--repeat must be 1…20, --indicators 1…2000, --municipalities 1…1741")
    _, missing = available(args.formats)
    with tempfile.TemporaryDirectory(prefix="shihyo-report-speed-") as tmp:
        out = args.keep or Path(tmp)
        timings = [
            measure("kobe", lambda: kobe_report(args.lang), args.formats, out, args.repeat, reference=True),
            measure(
                f"synthetic{args.indicators}",
                lambda: synthetic_report(args.indicators, args.municipalities, args.lang),
                args.formats,
                out,
                args.repeat,
            ),
        ]
    show(timings, args.formats, missing, args.repeat)
    kobe = timings[0]
    complete = not missing and set(FORMATS) <= set(args.formats)
    met = kobe.total <= TARGET_SECONDS
    verdict = "met" if met else "NOT met"
    scope = "all three formats" if complete else f"only {', '.join(kobe.formats) or 'no format'} — incomplete"
    print(f"target: Kobe in all three formats ≤ {TARGET_SECONDS:.0f} s — {verdict} ({kobe.total:.2f} s, {scope})")
    for timing, goal in ((kobe, GOAL_KOBE_SECONDS), (timings[1], GOAL_LARGE_SECONDS)):
        seconds = timing.total + timing.prepare
        parts = ", ".join(f"{name} {value:.2f}" for name, value in timing.formats.items())
        reference, ratio = "―", None
        if timing.charts is not None:
            drawn, converted = timing.charts
            before = seconds - drawn + converted
            reference = f"{before:.2f} s with the charts through Vega-Lite → PNG ({converted:.2f})"
            ratio = seconds / before
        met &= print_goal(
            f"{timing.programme} report, {scope}, model included",
            f"{seconds:.2f} s (model {timing.prepare:.2f}, {parts})",
            reference,
            ratio,
            f"≤ {goal:.1f} s",
            complete and seconds <= goal,
        )
    if not complete:
        return 2
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
