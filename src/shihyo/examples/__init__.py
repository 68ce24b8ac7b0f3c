"""The example programmes shipped with shihyo (data: one folder per programme, in the format `shihyo load` reads).

Each folder may hold a `demo.yaml` saying what `shihyo demo` sets up besides loading it: a collection round
and demo accounts.
"""

from __future__ import annotations

from pathlib import Path

FOLDER = Path(__file__).resolve().parent


def bundled() -> list[Path]:
    """The folders of the bundled example programmes, by name."""
    return sorted(p for p in FOLDER.iterdir() if (p / "programme.yaml").is_file())


def path(name: str) -> Path:
    """The folder of one bundled example programme."""
    return FOLDER / name
