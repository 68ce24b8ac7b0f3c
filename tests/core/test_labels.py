"""The label catalogue names every member of every catalogued enum, in both languages."""

from __future__ import annotations

from enum import StrEnum

import pytest

from shihyo.core import labels
from shihyo.core.collection import State
from shihyo.core.model import ObservationKind


@pytest.mark.parametrize("enum", labels.CATALOGUED, ids=lambda e: e.__name__)
def test_every_member_has_a_japanese_and_an_english_label(enum: type[StrEnum]) -> None:
    for member in enum:
        ja, en = labels.LABELS[member]
        assert ja and en and ja != en, member


def test_labels_in_each_language() -> None:
    assert labels.label(State.APPROVED) == "承認済" and labels.label(State.APPROVED, "en") == "Approved"
    assert labels.label_of(State, "returned", "ja") == "差戻し"
    assert labels.label_of(State, "unknown", "ja") == "unknown"
    assert labels.kind_label("target", "ja") == "目標" and labels.kind_label(ObservationKind.PLAN, "en") == "plan"
