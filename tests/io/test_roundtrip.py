"""Export writes what load accepts; a canonical directory comes back byte for byte."""

from __future__ import annotations

from pathlib import Path

import pytest

from shihyo.io.directory import FILES, OPTIONAL_FILES, programme_files, read_programme_dir, write_programme_dir
from tests.conftest import KOBE, MINI


@pytest.mark.parametrize("directory", [MINI, KOBE], ids=["mini", "kobe"])
def test_canonical_directory_round_trips_byte_for_byte(directory: Path, tmp_path: Path) -> None:
    dataset = read_programme_dir(directory)
    files = programme_files(dataset)
    optional = [name for name in OPTIONAL_FILES if (directory / name).is_file()]
    assert set(files) == {*FILES, *optional}
    for name in (*FILES, *optional):
        assert files[name] == (directory / name).read_text(encoding="utf-8"), f"{name} is not canonical"
    write_programme_dir(dataset, tmp_path)
    assert read_programme_dir(tmp_path) == dataset
