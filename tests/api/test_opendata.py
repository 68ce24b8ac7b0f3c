"""The open data as a portal or a person with Excel gets it from the live server, read back with a CSV parser.

Each rule of the government's machine-readable table rules is checked on every row of every file of both
programmes; the values round-trip against `shihyo compute` run on the same database."""

from __future__ import annotations

import csv
import io
import json
import urllib.error
import urllib.request
import zipfile
from decimal import Decimal
from typing import Any

import pytest

from shihyo.core.opendata import LICENCES, check_digit
from shihyo.core.periods import parse_period
from shihyo.io.opendata import COLUMNS, HEADER
from tests.api.conftest import Live

pytestmark = pytest.mark.db
PROGRAMMES = ("kobe", "minato")


def get(live: Live, path: str) -> tuple[int, dict[str, str], bytes]:
    try:
        with urllib.request.urlopen(live.url + path, timeout=120) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


def read_csv(body: bytes) -> list[dict[str, str]]:
    assert body.startswith(b"\xef\xbb\xbf"), "UTF-8 with BOM, so that Excel reads it as UTF-8"
    text = body.decode("utf-8")[1:]
    assert "\r\n" in text and "\n" not in text.replace("\r\n", ""), "CRLF line ends only"
    table = list(csv.reader(io.StringIO(text, newline="")))
    assert table[0] == HEADER, "exactly one header row"
    assert all(len(row) == len(HEADER) for row in table), "no merged or missing cells"
    return [dict(zip(HEADER, row, strict=True)) for row in table[1:]]


def check_rows(rows: list[dict[str, str]], code: str | None = None) -> None:
    assert rows, "a dataset has rows"
    for row in rows:
        municipality = row["全国地方公共団体コード"]
        assert len(municipality) == 6 and municipality.isdigit()
        assert int(municipality[5]) == check_digit(municipality[:5])
        value = row["値"]
        assert value == value.strip() and "," not in value and "▲" not in value
        Decimal(value)  # a plain number: no separators, unit or ▲
        float(value)
        period = parse_period(row["期間コード"])
        assert int(row["年度（西暦）"]) == period.fiscal_year
        assert row["和暦"] and row["和暦"][0] in "MTSHR"  # the wareki label beside the Western year
        assert row["開始日"] == period.start.isoformat() and row["終了日"] == period.end.isoformat()
        assert row["暫定"] in ("0", "1")
        assert row["値の種類"] in ("実績", "推計値", "計画")
        assert row["データ基準日時"] and row["データ版"]
        if code is not None:
            assert row["コード"] == code


@pytest.mark.parametrize("programme", PROGRAMMES)
def test_every_dataset_follows_the_machine_readable_rules(live: Live, programme: str) -> None:
    status, _headers, body = get(live, f"/opendata/{programme}/catalog.jsonld")
    assert status == 200
    catalogue = json.loads(body)
    assert catalogue["@type"] == "dcat:Catalog"
    assert catalogue["dct:license"]["@id"] == LICENCES["CC-BY-4.0"].url
    datasets = catalogue["dcat:dataset"]
    codes = [d["dct:identifier"].split("/", 1)[1] for d in datasets if not d["dct:identifier"].endswith("/all")]
    assert len(codes) > 10
    versions = set()
    for dataset in datasets:
        distributions = {d["dct:format"]: d["dcat:downloadURL"]["@id"] for d in dataset["dcat:distribution"]}
        if "CSV" not in distributions:
            continue
        code = dataset["dct:identifier"].split("/", 1)[1]
        status, headers, body = get(live, distributions["CSV"].removeprefix(live.url))
        assert status == 200 and headers["Content-Type"].startswith("text/csv")
        rows = read_csv(body)
        check_rows(rows, code)
        versions |= {row["データ版"] for row in rows}
        status, _headers, body = get(live, distributions["JSON"].removeprefix(live.url))
        document = json.loads(body)
        assert (
            document["licence"]["id"] == "CC-BY-4.0"
            and document["municipality_code"] == rows[0]["全国地方公共団体コード"]
        )
        assert [r["value"] for r in document["rows"]] == [float(r["値"]) for r in rows]
        assert all(isinstance(r["value"], float) and isinstance(r["fiscal_year"], int) for r in document["rows"])
    assert len(versions) == 1, "one data version across the files"


@pytest.mark.parametrize("programme", PROGRAMMES)
def test_the_bulk_zip_holds_everything_with_a_readme_of_the_columns(live: Live, programme: str) -> None:
    status, headers, body = get(live, f"/opendata/{programme}/bulk.zip")
    assert status == 200 and headers["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(body))
    names = set(archive.namelist())
    readme = archive.read(f"{programme}/README.md").decode("utf-8")
    for column in COLUMNS:
        assert column.ja in readme and f"`{column.key}`" in readme
    assert "CC-BY-4.0" in readme and "BOM" in readme
    everything = read_csv(archive.read(f"{programme}/all.csv"))
    check_rows(everything)
    per_code = sum(
        len(read_csv(archive.read(n))) for n in names if n.startswith(f"{programme}/data/") and n.endswith(".csv")
    )
    assert per_code == len(everything)
    assert f"{programme}/catalog.jsonld" in names


def _computed(live: Live, programme: str) -> dict[tuple[str, str, str], tuple[str, Decimal]]:
    done = live.shihyo("compute", "--programme", programme, "--include-series", "--format", "csv")
    found = {}
    for row in csv.DictReader(io.StringIO(done.stdout.lstrip("\ufeff"))):
        found[(row["indicator"], row["org_unit"], row["period"])] = (row["kind"], Decimal(row["value"]))
    return found


@pytest.mark.parametrize("programme", PROGRAMMES)
def test_the_open_data_round_trips_against_shihyo_compute(live: Live, programme: str) -> None:
    _status, _headers, body = get(live, f"/opendata/{programme}/bulk.zip")
    rows = read_csv(zipfile.ZipFile(io.BytesIO(body)).read(f"{programme}/all.csv"))
    published = {(r["コード"], r["所属コード"], r["期間コード"]): Decimal(r["値"]) for r in rows}
    computed = _computed(live, programme)
    assert len(published) == len(rows), "one row per code, org unit and period"
    assert published.keys() == computed.keys()
    differing = [key for key, value in published.items() if value != computed[key][1]]
    assert not differing, differing[:10]


def test_the_open_data_page_names_licence_code_and_files(live: Live) -> None:
    status, _headers, body = get(live, "/opendata/kobe/")
    page = body.decode("utf-8")
    assert status == 200
    assert "281000" in page and "CC-BY-4.0" in page and "/opendata/kobe/bulk.zip" in page
    assert "/opendata/kobe/data/mnc_rate.csv" in page and "/opendata/kobe/catalog.jsonld" in page
    status, _headers, body = get(live, "/opendata/catalog.jsonld")
    harvested: dict[str, Any] = json.loads(body)
    assert {c["@id"].rsplit("/", 2)[-2] for c in harvested["dcat:catalog"]} == {"kobe", "minato"}
