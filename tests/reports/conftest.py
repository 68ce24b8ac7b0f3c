"""The Kobe report model every format's tests render (FY2021, ja and en, fixed as-of label and data version)."""

from __future__ import annotations

import pytest

from shihyo.core.engine import EvaluationRequest, EvaluationResult, evaluate, revisions_frame
from shihyo.core.model import Dataset
from shihyo.core.periods import fiscal_year
from shihyo.core.reconcile import reconcile
from shihyo.core.report import Report, build_report
from shihyo.core.targets import evaluate_targets
from shihyo.io.directory import read_programme_dir
from tests.conftest import KOBE

LANGS = ("ja", "en")


@pytest.fixture(scope="session")
def kobe_dataset() -> Dataset:
    return read_programme_dir(KOBE)


@pytest.fixture(scope="session")
def result(kobe_dataset: Dataset) -> EvaluationResult:
    return evaluate(EvaluationRequest(kobe_dataset.programme, revisions_frame(kobe_dataset.observations)))


@pytest.fixture(scope="session")
def reports(kobe_dataset: Dataset, result: EvaluationResult) -> dict[str, Report]:
    evaluations, found = evaluate_targets(result), reconcile(result)
    return {
        lang: build_report(
            result,
            evaluations,
            found,
            fiscal_year(2021),
            lang=lang,
            as_of_label="2022-07-01",
            data_version="test",
            notes=kobe_dataset.notes,  # the seed's own commentary for R3
        )
        for lang in LANGS
    }
