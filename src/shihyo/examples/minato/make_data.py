"""Write observations.csv of the fictional みなと市 (a designated city) from a fixed seed.

Run from anywhere: `python src/shihyo/examples/minato/make_data.py` (or `--out FILE` to write elsewhere).
The CSV it writes is the committed raw input;
this script only says how it was made. Every figure is invented: 7 wards report their window figures,
8 departments their staff, overtime and paper, the public relations office the website's page views,
each half-year from FY2019H1 to FY2023H2. FY2024H1 is left without figures: the demo round collects it.

The published figures (`reported` rows) are what the city's own report would print for the city as a
whole, worked out here with plain arithmetic, independent of shihyo. One of them is cut instead of
rounded (月平均超過勤務時間), as hand-made reports sometimes do, so that reconciliation has something to find.
Standard library only, so the script runs without shihyo installed.
"""

from __future__ import annotations

import argparse
import csv
import random
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from pathlib import Path

SEED = 20240401
YEARS = range(2019, 2024)
HALVES = [(year, half) for year in YEARS for half in (1, 2)]
# ward: (population in April 2019, how quickly its residents took up online applications)
WARDS = {
    "kita": (182_400, 1.10),
    "minami": (151_300, 0.95),
    "higashi": (213_800, 1.05),
    "nishi": (128_600, 0.85),
    "chuo": (96_200, 1.25),
    "kaigan": (118_900, 0.80),
    "yamate": (163_500, 1.00),
}
# department: (staff in April 2019, monthly overtime per head in FY2019)
DEPARTMENTS = {
    "jinji": (142, 17.5),
    "digital": (96, 21.0),
    "zaisei": (118, 19.5),
    "fukushi": (486, 15.0),
    "hoken": (312, 16.5),
    "keikaku": (174, 14.0),
    "doboku": (398, 13.5),
    "kouwan": (153, 12.0),
}
ONLINE_SHARE = {2019: 0.06, 2020: 0.13, 2021: 0.22, 2022: 0.31, 2023: 0.39}
CONVENIENCE_SHARE = {2019: 0.11, 2020: 0.17, 2021: 0.23, 2022: 0.29, 2023: 0.34}
CASHLESS_SHARE = {2019: 4.0, 2020: 18.0, 2021: 33.0, 2022: 44.0, 2023: 52.0}
PAPER_PER_HEAD = {2019: 1_650, 2020: 1_420, 2021: 1_210, 2022: 1_050, 2023: 960}  # A4 sheets a month
OVERTIME_FACTOR = {2019: 1.00, 2020: 1.12, 2021: 0.93, 2022: 0.86, 2023: 0.80}  # FY2020: the pandemic

Row = tuple[str, str, str, str, str, str, str, str]


def key(year: int, half: int) -> str:
    return f"FY{year}H{half}"


def ward_rows(rng: random.Random) -> list[Row]:
    rows: list[Row] = []
    for ward, (population, uptake) in WARDS.items():
        people = population
        for year, half in HALVES:
            people = round(people * (1 + rng.uniform(-0.004, 0.002)))
            applications = round(people * rng.uniform(0.115, 0.13))
            online = round(applications * min(0.95, ONLINE_SHARE[year] * uptake * rng.uniform(0.93, 1.07)))
            certificates = round(people * rng.uniform(0.22, 0.25) * (1 - 0.02 * (year - 2019)))
            convenience = round(certificates * CONVENIENCE_SHARE[year] * rng.uniform(0.9, 1.1))
            cashless = Decimal(str(CASHLESS_SHARE[year] + rng.uniform(-3.5, 3.5))).quantize(Decimal("0.1"))
            wait = Decimal(str(rng.uniform(-18.0, 6.0) - 2.0 * (year - 2019))).quantize(Decimal("0.1"))
            period = key(year, half)
            for code, value in (
                ("population", str(people)),
                ("applications_total", str(applications)),
                ("applications_online", str(online)),
                ("cert_total", str(certificates)),
                ("cert_window", str(certificates - convenience)),
                ("cert_convenience", str(convenience)),
                ("cashless_share", str(max(cashless, Decimal("0.0")))),
                ("wait_change", f"▲{-wait}" if wait < 0 else str(wait)),
            ):
                rows.append((code, ward, period, "actual", value, "", "", ""))
    return rows


def department_rows(rng: random.Random) -> list[Row]:
    rows: list[Row] = []
    for department, (staff, monthly) in DEPARTMENTS.items():
        heads = staff
        for year, half in HALVES:
            heads += rng.randint(-4, 5)
            covid = 1.35 if department == "hoken" and year in (2020, 2021) else 1.0
            overtime = round(heads * 6 * monthly * OVERTIME_FACTOR[year] * covid * rng.uniform(0.92, 1.08))
            paper = round(heads * 6 * PAPER_PER_HEAD[year] * rng.uniform(0.9, 1.1), -2)
            period = key(year, half)
            rows.append(("staff", department, period, "actual", str(heads), "", "", ""))
            rows.append(("overtime_hours", department, period, "actual", str(overtime), "", "", ""))
            rows.append(("paper_sheets", department, period, "actual", str(paper), "", "", ""))
    return rows


def pageview_rows(rng: random.Random) -> list[Row]:
    rows: list[Row] = []
    views = 6_100_000
    for year, half in HALVES:
        views = round(views * rng.uniform(1.01, 1.06) * (1.25 if (year, half) == (2020, 1) else 1.0))
        rows.append(("web_pageviews", "koho", key(year, half), "actual", str(views), "", "", ""))
        if (year, half) == (2020, 1):
            views = round(views / 1.18)  # the pandemic's spring: many visits that did not last
    return rows


def _value(rows: list[Row], code: str, year: int, half: int | None = None) -> Decimal:
    """The city's figure: the sum over its reporting units, of the year's halves or of one half."""
    periods = {key(year, h) for h in ((half,) if half else (1, 2))}
    return sum((Decimal(r[4]) for r in rows if r[0] == code and r[2] in periods), Decimal(0))


def _print(value: Decimal, places: str, rounding: str = ROUND_HALF_UP) -> str:
    text = str(value.quantize(Decimal(places), rounding=rounding))
    return f"▲{text[1:]}" if text.startswith("-") else text


def published_rows(rows: list[Row]) -> list[Row]:
    """What the city's annual report prints, worked out by hand (one figure cut, not rounded)."""
    source = "みなと市 プラン進捗報告 令和5年度版"
    online_share = _value(rows, "applications_online", 2022) / _value(rows, "applications_total", 2022) * 100
    convenience = _value(rows, "cert_convenience", 2023) / _value(rows, "cert_total", 2023) * 100
    cert_yoy = (_value(rows, "cert_total", 2023) / _value(rows, "cert_total", 2022) - 1) * 100
    paper = (_value(rows, "paper_sheets", 2023) / _value(rows, "paper_sheets", 2019) - 1) * 100
    views = _value(rows, "web_pageviews", 2022) / 10_000
    cut = None
    for year in YEARS:
        overtime = _value(rows, "overtime_hours", year) / _value(rows, "staff", year, half=2) / 12
        if _print(overtime, "0.1") != _print(overtime, "0.1", ROUND_DOWN):
            cut = (year, _print(overtime, "0.1", ROUND_DOWN))
            break
    assert cut is not None, "no year where cutting and rounding differ: change the seed"
    note = "報告書は小数第2位を切り捨てて表示"
    return [
        ("online_share", "minato", "FY2022", "reported", f"{_print(online_share, '0.1')}%", "", source, ""),
        ("convenience_share", "minato", "FY2023", "reported", f"{_print(convenience, '0.1')}%", "", source, ""),
        ("cert_total_yoy", "minato", "FY2023", "reported", _print(cert_yoy, "0.1"), "", source, ""),
        ("paper_reduction", "minato", "FY2023", "reported", _print(paper, "0.1"), "", source, ""),
        ("pageviews_value", "minato", "FY2022", "reported", f"{int(_print(views, '1')):,}万", "", source, ""),
        ("overtime_per_capita", "minato", f"FY{cut[0]}", "reported", cut[1], note, source, ""),
    ]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path(__file__).with_name("observations.csv"))
    path = parser.parse_args(argv).out
    rng = random.Random(SEED)
    rows = ward_rows(rng) + department_rows(rng) + pageview_rows(rng)
    rows += published_rows(rows)
    rows.sort(key=lambda r: (r[0], r[1], r[2], r[3], r[6]))  # the order `shihyo export` writes
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(("code", "org_unit", "period", "kind", "value", "note", "source", "method"))
        writer.writerows(rows)


if __name__ == "__main__":
    main()
