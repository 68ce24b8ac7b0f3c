"""The `shihyo` commands of an installation: init, demo, check; `--version`; one log line per command."""

from __future__ import annotations

import getpass
import importlib
import logging.config
import os
import sys
from datetime import date, timedelta
from pathlib import Path
from typing import Annotated, Any

import typer
import yaml

import shihyo
from shihyo import cli, operations
from shihyo.cli import Format, Lang, LangOption, app, out
from shihyo.core import clock, inputs
from shihyo.core.problems import UserError
from shihyo.web.logging import CommandLog, logging_config


def _user() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no login name (a service without a user database entry)
        return "-"


def _exit_code(exc: BaseException | None) -> int:
    if exc is None:
        return 0
    if isinstance(exc, typer.Exit):
        return exc.exit_code
    if isinstance(exc, SystemExit):
        return exc.code if isinstance(exc.code, int) else 1
    return getattr(exc, "exit_code", 2) if isinstance(exc, typer.TyperException) else 2


def _show_version(value: bool) -> None:
    if value:
        out.print(f"shihyo {shihyo.__version__}", highlight=False)
        raise typer.Exit()


@app.callback()
def _every_command(
    ctx: typer.Context,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_show_version, is_eager=True, help="Print shihyo's version and stop."),
    ] = False,
) -> None:
    logging.config.dictConfig(
        logging_config(os.environ.get("SHIHYO_LOG_LEVEL", "INFO"), os.environ.get("SHIHYO_LOG_FORMAT", "text"))
    )
    log = CommandLog(ctx.invoked_subcommand or "-", _user())

    def finish() -> None:  # runs as the command ends, also when it raises (the exception is being handled)
        log.finish(_exit_code(sys.exc_info()[1]))

    ctx.call_on_close(finish)


def _account(
    username: str,
    role: str,
    password: str,
    by: str,
    org_units: list[str] | None = None,
    email: str | None = None,
    programme: str | None = None,
) -> None:
    from shihyo.web.collection.accounts import save_account

    save_account(username, role, org_units or [], password, programme, by=by, email=email)


@app.command()
def init(
    admin: Annotated[str, typer.Option("--admin", help="Sign-in name of the first office (admin) account.")] = "office",
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the first account's password from stdin.")
    ] = False,
    generate: Annotated[
        bool, typer.Option("--generate-password", help="Make a random password for it and print it once.")
    ] = False,
    no_account: Annotated[bool, typer.Option("--no-account", help="Only create or migrate the database.")] = False,
    lang: LangOption = Lang.JA,
) -> None:
    """Create or migrate the database, make the first office account, and say where the data lives.

    Safe to run again (and after every upgrade): it applies only the migrations the database lacks, and asks
    for an account only while there is no admin. Without a terminal, a password is generated."""
    with cli._user_errors(lang.value):
        operations.django_ready()
        applied = operations.migrate()
        out.print(f"data directory: {operations.data_home()}", highlight=False)
        out.print(f"database: {operations.database_label()}", highlight=False)
        out.print(f"migrations applied: {len(applied)}" if applied else "database already up to date", highlight=False)
        existing = operations.admins()
        if no_account:
            return
        if existing:
            out.print(f"office account(s): {', '.join(existing)}", highlight=False)
            return
        shown = False
        if password_stdin:
            password = sys.stdin.readline().rstrip("\r\n")
        elif generate or not sys.stdin.isatty():
            password, shown = operations.generated_password(), True
        else:
            admin = typer.prompt("first office account (sign-in name)", default=admin)
            password = typer.prompt("password (12 characters or more)", hide_input=True, confirmation_prompt=True)
        _account(admin, "admin", password, f"cli:{_user()}")
    out.print(f"created the office account {admin}", highlight=False)
    if shown:
        out.print(f"password: {password}  (shown once: write it down or change it after signing in)", highlight=False)


def _demo_plan(folder: Path) -> dict[str, Any]:
    plan_file = folder / "demo.yaml"
    if not plan_file.is_file():
        return {}
    plan: dict[str, Any] = yaml.safe_load(plan_file.read_text(encoding="utf-8")) or {}
    return plan


def _programme_code(folder: Path) -> str:
    code: str = yaml.safe_load((folder / "programme.yaml").read_text(encoding="utf-8"))["code"]
    return code


def _demo_round(code: str, round_: dict[str, Any]) -> None:
    """Open the demo round; `due_in_days` puts its due date that many days after today."""
    due = round_.get("due")
    if "due_in_days" in round_:
        due = clock.today() + timedelta(days=int(round_["due_in_days"]))
    cli.round_open(
        str(round_["code"]),
        name=str(round_["name"]),
        period=[str(p) for p in round_["periods"]],
        due=due.isoformat() if isinstance(due, date) else due,
        series=None,
        org_unit=None,
        outlier_percent=None,
        by="demo",
        exists_ok=True,
        programme=code,
    )


def _demo_accounts(code: str, accounts: list[dict[str, Any]]) -> None:
    for account in accounts:
        password = operations.generated_password()
        units = list(account.get("org_units", []))
        _account(account["username"], account["role"], password, "demo", units, account.get("email"), code)
        can = f" — {account['can']}" if account.get("can") else ""
        out.print(f"  {account['username']} ({account['role']}): {password}{can}", highlight=False)


@app.command()
def demo(
    out_dir: Annotated[
        Path | None, typer.Option("--out", help="Where to write the reports (default: reports in the data directory).")
    ] = None,
    serve: Annotated[bool, typer.Option("--serve/--no-serve", help="Serve the dashboard afterwards.")] = True,
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[str, typer.Option("--port", help="Port to listen on (1-65535).")] = "8000",
) -> None:
    """Load the bundled example programmes, reconcile them, judge the targets, write the reports, open their
    demo collection round with demo accounts (passwords printed), and serve."""
    from shihyo import examples

    with cli._user_errors():
        port = str(inputs.parse_port(port, "--port"))
        operations.django_ready()
        operations.migrate()
    home = operations.data_home()
    for folder in examples.bundled():
        code = _programme_code(folder)
        plan = _demo_plan(folder)
        cli.load(folder, by="demo", reason="shihyo demo", lang=Lang.JA)
        cli.reconcile(programme=code, show_all=False, as_of=None, fmt=Format.TABLE, output=None, lang=Lang.JA)
        cli.targets(programme=code, as_of=None, fmt=Format.TABLE, output=None, lang=Lang.JA)
        cli.report(
            out_dir=out_dir or home / "reports", fmt="all", period=None, programme=code, as_of=None, lang=Lang.JA
        )
        with cli._user_errors():
            if plan.get("accounts"):  # before the round, so that its clerks get the round's opening notice
                out.print(f"demo accounts (new passwords each time; sign in at http://{host}:{port}/login/):")
                _demo_accounts(code, plan["accounts"])
            if "round" in plan:
                _demo_round(code, plan["round"])
    out.print(f"data directory: {home} — database: {operations.database_label()}", highlight=False)
    if serve:
        cli.serve(host=host, port=port, threads="8")


@app.command()
def check(lang: LangOption = Lang.JA) -> None:
    """Tell an administrator what is wrong before users do: database reachable and migrated, report fonts,
    production settings, writable data directory. One line each; exit code 1 if any is a problem."""
    with cli._user_errors(lang.value):
        try:
            operations.django_ready()
        except Exception as exc:  # settings that cannot even be read (a malformed SHIHYO_DATABASE_URL …)
            raise UserError(ja=f"設定を読み込めません: {exc}", en=f"the settings cannot be read: {exc}") from None
    findings = operations.run_checks()
    for finding in findings:
        out.print(finding.render(lang.value), highlight=False, markup=False)
    problems = sum(1 for f in findings if not f.ok)
    out.print(
        f"shihyo {shihyo.__version__}: "
        + (f"{problems} problem(s)" if problems else "everything OK")
        + (f"（問題 {problems} 件）" if lang is Lang.JA and problems else ""),
        highlight=False,
    )
    if problems:
        raise typer.Exit(1)


importlib.import_module("shihyo.cli_backup")  # adds backup and restore to `app`
