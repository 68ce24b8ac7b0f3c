from __future__ import annotations

from collections.abc import Iterator

import pytest

from shihyo.web.catalogue.evaluation import clear_cache


@pytest.fixture(autouse=True)
def fresh_evaluation_cache() -> Iterator[None]:
    """Each test starts from its own database state; ids may repeat after a rollback."""
    clear_cache()
    yield
    clear_cache()
