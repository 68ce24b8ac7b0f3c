"""`shihyo backup` and `shihyo restore` (see shihyo.backup)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from shihyo import backup as backups
from shihyo import cli, operations
from shihyo.cli import app, err, out


@app.command()
def backup(
    file: Annotated[Path, typer.Argument(help="The backup file to write (must not exist yet).")],
) -> None:
    """Back up the whole database while it runs: SQLite's online backup API, or pg_dump for PostgreSQL."""
    with cli._user_errors():
        operations.django_ready()
        written = backups.backup(file)
    out.print(f"backed up {operations.database_label()} to {file}", highlight=False)
    out.print(written.render(), highlight=False, markup=False)


@app.command()
def restore(
    file: Annotated[Path, typer.Argument(help="A file written by `shihyo backup`.")],
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask before replacing the database.")] = False,
) -> None:
    """Replace the database with a backup (stop the server first), then migrate it to this release."""
    with cli._user_errors():
        operations.django_ready()
        if not yes and not typer.confirm(
            f"replace everything in {operations.database_label()} with {file}?", default=False, err=True
        ):
            err.print("nothing was changed", highlight=False)
            raise typer.Exit(1)
        restored = backups.restore(file)
    out.print(f"restored {operations.database_label()} from {file}", highlight=False)
    out.print(restored.render(), highlight=False, markup=False)
