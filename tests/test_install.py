"""shihyo installed from a built wheel, as a city's IT staff install it: outside the checkout, from any directory.

The wheel is built once (from a copy of pyproject.toml, README.md and src/), installed with --no-deps into a
fresh virtual environment that borrows the already installed dependencies (a .pth line naming this
environment's site-packages: no network), and then `shihyo init`, `shihyo demo --no-serve`, `shihyo check`
and `shihyo serve` run in a temporary directory against a temporary SHIHYO_HOME.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import sysconfig
import time
import urllib.error
import urllib.request
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from email.message import Message
from pathlib import Path

import pytest

import shihyo
from tests.conftest import ROOT

BIN = "Scripts" if os.name == "nt" else "bin"


@dataclass(frozen=True)
class Installed:
    wheel: Path
    venv: Path
    work: Path  # an empty directory to run the commands from
    home: Path

    def env(self, **extra: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("SHIHYO_") and k != "DJANGO_SETTINGS_MODULE"}
        return {**env, "SHIHYO_HOME": str(self.home), "PYTHONIOENCODING": "utf-8", **extra}

    def shihyo(
        self, *args: str, ok: bool = True, extra: dict[str, str] | None = None
    ) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(
            [str(self.venv / BIN / "shihyo"), *args],
            cwd=self.work,
            env=self.env(**(extra or {})),
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=300,
            check=False,
        )
        if ok:
            assert done.returncode == 0, f"shihyo {' '.join(args)}:\n{done.stdout}\n{done.stderr}"
        return done


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    base = tmp_path_factory.mktemp("install")
    tree = base / "source"
    tree.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, tree / name)
    shutil.copytree(ROOT / "src", tree / "src", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info", "*.pyc"))
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(base / "dist"), str(tree)],
        capture_output=True,
        check=True,
        timeout=600,
    )
    (wheel,) = (base / "dist").glob("shihyo-*.whl")
    venv = base / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    python = venv / BIN / ("python.exe" if os.name == "nt" else "python")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(python),
            "install",
            "--quiet",
            "--no-deps",
            "--no-index",
            str(wheel),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    site = Path(
        subprocess.run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    )
    # the dependencies already installed here; the editable shihyo of this checkout is not activated by this
    # (.pth files of a directory named in a .pth file are not read), so `import shihyo` finds the wheel's copy
    (site / "shihyo-test-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    work = base / "elsewhere"
    work.mkdir()
    return Installed(wheel, venv, work, base / "home")


def test_the_wheel_carries_what_the_package_needs(installed: Installed) -> None:
    names = set(zipfile.ZipFile(installed.wheel).namelist())
    wanted = [
        "shihyo/locale/ja/LC_MESSAGES/django.mo",
        "shihyo/web/dashboard/templates/dashboard/base.html",
        "shihyo/web/collection/templates/collection/login.html",
        "shihyo/web/dashboard/static/shihyo/app.css",
        "shihyo/web/collection/static/shihyo/collection.js",
        "shihyo/reports/pdf/report.typ",
        "shihyo/web/catalogue/migrations/0001_initial.py",
        "shihyo/web/collection/migrations/0001_initial.py",
        "shihyo/examples/kobe/programme.yaml",
        "shihyo/examples/kobe/observations.csv",
        "shihyo/examples/kobe/demo.yaml",
    ]
    assert [n for n in wanted if n not in names] == []
    metadata = next(n for n in names if n.endswith(".dist-info/METADATA"))
    text = zipfile.ZipFile(installed.wheel).read(metadata).decode()
    assert f"Version: {shihyo.__version__}" in text
    assert "Requires-Dist: matplotlib-fontja" in text  # the fallback Japanese font comes as a dependency


def test_the_installed_copy_is_used(installed: Installed) -> None:
    python = installed.venv / BIN / ("python.exe" if os.name == "nt" else "python")
    done = subprocess.run(
        [str(python), "-c", "import shihyo, shihyo.examples; print(shihyo.__file__); print(shihyo.examples.FOLDER)"],
        cwd=installed.work,
        capture_output=True,
        text=True,
        check=True,
    )
    for line in done.stdout.splitlines():
        assert Path(line).resolve().is_relative_to(installed.venv.resolve()), line
    assert installed.shihyo("--version").stdout.strip() == f"shihyo {shihyo.__version__}"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _get(url: str) -> tuple[int, Message, str]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.headers, response.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers, exc.read().decode("utf-8")


@pytest.fixture(scope="module")
def served(installed: Installed) -> Iterator[str]:
    """init, demo --no-serve, then `shihyo serve` on a free port; the server's address."""
    first = installed.shihyo("init", "--generate-password")
    assert f"data directory: {installed.home}" in first.stdout
    assert "created the office account office" in first.stdout and "password: " in first.stdout
    again = installed.shihyo("init")
    assert "database already up to date" in again.stdout and "office account(s): office" in again.stdout
    demo = installed.shihyo("demo", "--no-serve")
    assert "opened r4" in demo.stdout and "kobe-clerk (submitter): " in demo.stdout
    assert "opened r6-h1" in demo.stdout and "kita (submitter): " in demo.stdout, "the second programme's round"
    written = sorted(p.name for p in (installed.home / "reports").iterdir())
    assert written == [f"{code}-report-ja.{fmt}" for code in ("kobe", "minato") for fmt in ("pdf", "pptx", "xlsx")]
    port = _free_port()
    server = subprocess.Popen(
        [str(installed.venv / BIN / "shihyo"), "serve", "--port", str(port)],
        cwd=installed.work,
        env=installed.env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if _get(url + "/healthz")[0] == 200:
                    break
            except OSError:
                pass
            assert server.poll() is None and time.monotonic() < deadline, "shihyo serve did not start"
            time.sleep(0.3)
        yield url
    finally:
        server.terminate()
        server.communicate(timeout=30)


def test_installed_shihyo_serves_the_dashboard(served: str) -> None:
    status, headers, page = _get(served + "/")
    assert status == 200
    assert "主要指標の概要" in page  # a label from the compiled Japanese catalogue
    assert f'shihyo <span class="version">{shihyo.__version__}</span>' in page
    assert len(headers.get("X-Request-ID", "")) == 32
    assert _get(served + "/static/shihyo/app.css")[0] == 200
    assert _get(served + "/login/")[0] == 200
    assert json.loads(_get(served + "/healthz")[2]) == {"status": "ok", "database": "ok", "cache": "ok"}


def test_installed_shihyo_check(installed: Installed, served: str) -> None:
    production = {
        "SHIHYO_SECRET_KEY": "x" * 60,
        "SHIHYO_ALLOWED_HOSTS": "shihyo.city.example",
        "SHIHYO_HTTPS": "1",
        "SHIHYO_TRUSTED_PROXIES": "127.0.0.1",
    }
    done = installed.shihyo("check", "--lang", "en", extra=production)
    lines = done.stdout.splitlines()
    assert [line.split()[0] for line in lines[:4]] == ["OK"] * 4
    assert lines[-1] == f"shihyo {shihyo.__version__}: everything OK"
    bare = installed.shihyo("check", "--lang", "en", ok=False)
    assert bare.returncode == 1 and "problem production settings: not set: SHIHYO_SECRET_KEY" in bare.stdout
