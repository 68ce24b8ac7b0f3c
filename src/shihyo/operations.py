"""Running shihyo as installed software: where the data lives, migrating, the first account, and the checks
`shihyo check` prints for an administrator. Call `django_ready()` first (the CLI does)."""

from __future__ import annotations

import os
import secrets
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from shihyo.core.problems import UserError


def django_ready() -> None:
    """Django set up with shihyo's settings (no migration)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shihyo.web.settings")
    import django

    django.setup()


def data_home() -> Path:
    from django.conf import settings

    home: Path = settings.HOME
    return home


def database_label() -> str:
    """The database in words, without a password: the SQLite file, or PostgreSQL host, port and name."""
    from django.conf import settings

    db: dict[str, Any] = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        return f"SQLite {db['NAME']}"
    host = db.get("HOST") or "localhost"
    port = db.get("PORT") or 5432
    return f"PostgreSQL {db.get('USER') or ''}@{host}:{port}/{db.get('NAME')}"


def first_line(exc: BaseException) -> str:
    """What a driver error says, in one line (its first), without the traceback."""
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def pending_migrations() -> list[str]:
    """Migrations this release has that the database has not had yet (app.name)."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _ in plan]


def migrate() -> list[str]:
    """Bring the database to this release (each migration in its own transaction); the ones applied.
    A database that cannot be reached is a user error naming it (nothing is changed)."""
    from django.core.management import call_command
    from django.db import OperationalError

    try:
        pending = pending_migrations()
        call_command("migrate", verbosity=0, interactive=False)
    except OperationalError as exc:
        reason = first_line(exc)
        raise UserError(
            ja=f"データベース {database_label()} を開けません（{reason}）。"
            "SHIHYO_DATABASE_URL か SHIHYO_HOME を確認し、`shihyo check` を実行してください",
            en=f"the database {database_label()} cannot be opened ({reason}): check SHIHYO_DATABASE_URL or "
            "SHIHYO_HOME, then `shihyo check`",
        ) from None
    return pending


def admins() -> list[str]:
    from shihyo.web.collection.models import Membership

    return sorted(m.user.get_username() for m in Membership.objects.filter(role="admin").select_related("user"))


def generated_password() -> str:
    return secrets.token_urlsafe(12)


@dataclass(frozen=True)
class Finding:
    """One line of `shihyo check`: what was checked, whether it is fine, and if not how to fix it."""

    name: str
    ok: bool
    detail_en: str
    detail_ja: str
    fix_en: str = ""
    fix_ja: str = ""

    def render(self, lang: str) -> str:
        mark = "OK" if self.ok else "problem"
        detail = self.detail_ja if lang == "ja" else self.detail_en
        fix = self.fix_ja if lang == "ja" else self.fix_en
        return f"{mark:7} {self.name}: {detail}" + (f" — {fix}" if fix and not self.ok else "")


def check_data_home() -> Finding:
    home = data_home()
    try:
        home.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=home, prefix=".shihyo-check-"):
            pass
    except OSError as exc:
        return Finding(
            "data directory",
            False,
            f"{home} cannot be written ({exc.strerror or exc})",
            f"{home} に書き込めません（{exc.strerror or exc}）",
            "give the service account write access to it, or set SHIHYO_HOME to a folder it can write",
            "サービスのアカウントに書き込み権限を与えるか、SHIHYO_HOME を書き込めるフォルダにしてください",
        )
    return Finding("data directory", True, f"{home} (writable)", f"{home}（書き込み可）")


def check_database() -> Finding:
    label = database_label()
    try:
        pending = pending_migrations()
    except Exception as exc:  # any driver error: the database cannot be reached or read
        reason = first_line(exc)
        return Finding(
            "database",
            False,
            f"{label} cannot be reached ({reason})",
            f"{label} に接続できません（{reason}）",
            "check SHIHYO_DATABASE_URL and that the server runs and accepts this user",
            "SHIHYO_DATABASE_URL と、サーバーが動いていてこのユーザーで接続できることを確認してください",
        )
    if pending:
        return Finding(
            "database",
            False,
            f"{label} needs {len(pending)} migration(s) of this release ({', '.join(pending[:3])}"
            + (" …" if len(pending) > 3 else "")
            + ")",
            f"{label} にこのリリースの移行が {len(pending)} 件未適用です",
            "back up the database, then run `shihyo init`",
            "データベースをバックアップしてから `shihyo init` を実行してください",
        )
    return Finding("database", True, f"{label} (reachable, migrated)", f"{label}（接続可・移行済み）")


def check_fonts() -> Finding:
    from shihyo.fonts import japanese_font_files

    fonts = japanese_font_files()
    if not fonts:
        return Finding(
            "report fonts",
            False,
            "no Japanese font found for the PDF and chart images",
            "PDF とグラフ画像に使う日本語フォントが見つかりません",
            "install the package's dependencies again (pip install shihyo brings matplotlib-fontja) "
            "or the BIZ UDGothic font",
            "依存パッケージを入れ直す（pip install shihyo で matplotlib-fontja が入ります）か、"
            "BIZ UDゴシックをインストールしてください",
        )
    names = sorted({p.stem.split("-")[0] for p in fonts})
    return Finding("report fonts", True, ", ".join(names), "、".join(names))


def check_production() -> Finding:
    """The settings a server reachable by others needs: a secret key, its host names, HTTPS, no debug."""
    from django.conf import settings

    missing_en: list[str] = []
    missing_ja: list[str] = []
    if settings.SECRET_KEY == settings.DEVELOPMENT_SECRET_KEY or len(settings.SECRET_KEY) < 50:
        missing_en.append("SHIHYO_SECRET_KEY (50 or more random characters)")
        missing_ja.append("SHIHYO_SECRET_KEY（50字以上のランダムな文字列）")
    if not set(settings.ALLOWED_HOSTS) - {"127.0.0.1", "localhost"}:
        missing_en.append("SHIHYO_ALLOWED_HOSTS (the server's host name)")
        missing_ja.append("SHIHYO_ALLOWED_HOSTS（サーバーのホスト名）")
    if not settings.HTTPS:
        missing_en.append("SHIHYO_HTTPS=1 (behind an HTTPS proxy)")
        missing_ja.append("SHIHYO_HTTPS=1（HTTPS のプロキシの後ろで）")
    elif not settings.TRUSTED_PROXIES.strip():
        missing_en.append("SHIHYO_TRUSTED_PROXIES (the proxy's address; without it every request is redirected again)")
        missing_ja.append("SHIHYO_TRUSTED_PROXIES（プロキシのアドレス。ないとすべての要求が再び https へ転送されます）")
    if settings.DEBUG:
        missing_en.append("SHIHYO_DEBUG must not be 1")
        missing_ja.append("SHIHYO_DEBUG を 1 にしないでください")
    if missing_en:
        return Finding(
            "production settings",
            False,
            "not set: " + "; ".join(missing_en),
            "未設定: " + "、".join(missing_ja),
            "set them in the service's environment (README: operations); a demo on this computer does not need them",
            "サービスの環境変数に設定してください（README の運用の節）。この PC だけで試す場合は不要です",
        )
    return Finding("production settings", True, "secret key, hosts, HTTPS set", "秘密鍵・ホスト名・HTTPS 設定済み")


CHECKS: tuple[Callable[[], Finding], ...] = (check_data_home, check_database, check_fonts, check_production)


def run_checks() -> list[Finding]:
    return [check() for check in CHECKS]
