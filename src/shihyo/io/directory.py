"""A programme directory: read and validate everything, or write it back in canonical form."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from shihyo.core.commentary import Notes
from shihyo.core.model import Dataset, Programme
from shihyo.core.problems import Problem, UserError, ValidationFailed
from shihyo.io import definitions as d
from shihyo.io.checks import Places, check_observations, check_programme
from shihyo.io.commentary import COMMENTARY, commentary_document, parse_commentary_file
from shihyo.io.documents import (
    indicator_document,
    org_unit_document,
    programme_document,
    series_document,
    target_document,
    team_document,
)
from shihyo.io.fields import Fields
from shihyo.io.observations_csv import read_observations, write_observations
from shihyo.io.summary_table_yaml import (
    SUMMARY_TABLE,
    check_summary_table,
    parse_summary_table,
    summary_table_document,
)
from shihyo.io.yaml_source import YamlSyntaxError, dump_yaml, parse_yaml

PROGRAMME = "programme.yaml"
ORG_UNITS = "org_units.yaml"
TEAMS = "teams.yaml"
SERIES = "series.yaml"
INDICATORS = "indicators.yaml"
TARGETS = "targets.yaml"
OBSERVATIONS = "observations.csv"
FILES = (PROGRAMME, ORG_UNITS, TEAMS, SERIES, INDICATORS, TARGETS, OBSERVATIONS)
OPTIONAL_FILES = (SUMMARY_TABLE, COMMENTARY)  # read when present (commentary.yaml: not a definition)


def read_programme_dir(directory: Path) -> Dataset:
    """Read and check every file; raise ValidationFailed listing every problem, or return the dataset."""
    if not directory.is_dir():
        raise UserError(ja=f"{directory} はディレクトリではありません", en=f"{directory} is not a directory")
    return parse_programme_files(
        {name: (directory / name).read_bytes() for name in FILES + OPTIONAL_FILES if (directory / name).is_file()}
    )


def parse_programme_files(files: Mapping[str, bytes]) -> Dataset:
    """Parse and check the files of a programme given as bytes by file name."""
    problems: list[Problem] = []
    missing = [name for name in FILES if name not in files]
    for name in missing:
        problems.append(
            Problem(
                name,
                None,
                "",
                ja="ファイルがありません",
                en="the file is missing",
                hint_ja="docs/data-format.md の7つのファイルが必要です",
                hint_en="a programme needs the seven files of docs/data-format.md",
            )
        )
    documents: dict[str, Any] = {}
    for name in (*FILES[:-1], *OPTIONAL_FILES):
        if name in missing or name not in files:
            continue
        try:
            documents[name] = parse_yaml(files[name].decode("utf-8-sig"), name)
        except UnicodeDecodeError:
            problems.append(Problem(name, None, "", ja="UTF-8 で保存してください", en="save the file as UTF-8"))
        except YamlSyntaxError as exc:
            problems.append(
                Problem(
                    name,
                    exc.line,
                    "",
                    ja=f"YAMLの書式が正しくありません: {exc.message}",
                    en=f"the YAML is malformed: {exc.message}",
                )
            )
    places = Places()

    def items(name: str, parse: Callable[[Fields], Any], label: str) -> list[Any]:
        parsed = d.parse_list(problems, name, documents.get(name), parse, label)
        for item, line in parsed:
            code = getattr(item, "code", None) or f"target:{getattr(item, 'indicator', '')}"
            places.of.setdefault(code, (name, line))
        return [item for item, _ in parsed]

    header: dict[str, Any] = {}
    if PROGRAMME in documents:
        fields = Fields(problems, PROGRAMME, documents[PROGRAMME])
        header = d.parse_programme_header(fields)
        for pillar in header["pillars"]:
            for area in pillar.areas:
                places.of.setdefault(area.code, (PROGRAMME, 0))
    programme = Programme(
        **{"code": "", "name": "", **header},
        org_units=tuple(items(ORG_UNITS, d.parse_org_unit, "org_unit")),
        teams=tuple(items(TEAMS, d.parse_team, "team")),
        series=tuple(items(SERIES, d.parse_series, "series")),
        indicators=tuple(items(INDICATORS, d.parse_indicator, "indicator")),
        targets=tuple(items(TARGETS, d.parse_target, "target")),
        summary_table=parse_summary_table(problems, documents[SUMMARY_TABLE]) if SUMMARY_TABLE in documents else None,
    )
    problems.extend(check_programme(programme, places))
    problems.extend(check_summary_table(programme, documents.get(SUMMARY_TABLE)))
    rows = read_observations(files[OBSERVATIONS], OBSERVATIONS, problems) if OBSERVATIONS in files else []
    problems.extend(check_observations(programme, rows, OBSERVATIONS))
    commentary, progress = parse_commentary_file(problems, programme, documents.get(COMMENTARY))
    if problems:
        raise ValidationFailed(problems)
    return Dataset(
        programme=programme, observations=tuple(o for o, _ in rows), notes=Notes(commentary, progress)
    )


def programme_files(dataset: Dataset) -> dict[str, str]:
    """The text of each file of the directory, in canonical form."""
    p = dataset.programme
    optional = {SUMMARY_TABLE: dump_yaml(summary_table_document(p.summary_table))} if p.summary_table else {}
    return {
        PROGRAMME: dump_yaml(programme_document(p)),
        ORG_UNITS: dump_yaml([org_unit_document(o) for o in p.org_units]),
        TEAMS: dump_yaml([team_document(t) for t in p.teams]),
        SERIES: dump_yaml([series_document(s) for s in p.series]),
        INDICATORS: dump_yaml([indicator_document(i) for i in p.indicators]),
        TARGETS: dump_yaml([target_document(t) for t in p.targets]),
        OBSERVATIONS: write_observations(dataset.observations),
    } | optional | _notes_file(dataset.notes)


def _notes_file(notes: Notes) -> dict[str, str]:
    """commentary.yaml, only when the programme has commentary or progress to write."""
    current = notes.current_commentary(drafts=True).values()
    progress = notes.current_progress().values()
    if not current and not progress:
        return {}
    return {COMMENTARY: dump_yaml(commentary_document(list(current), list(progress)))}


def write_programme_dir(dataset: Dataset, directory: Path) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in programme_files(dataset).items():
        path = directory / name
        path.write_text(text, encoding="utf-8", newline="\n")
        written.append(path)
    return written
