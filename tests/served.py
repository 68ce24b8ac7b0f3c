"""The real `shihyo serve` (waitress) in a process of its own, for tests that must go through the server:
a fresh SQLite home with the mini programme and one account, a free loopback port, stopped at the end."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

SHIHYO = Path(sys.executable).parent / "shihyo"
SECRET = "a-test-secret-key-that-is-long-enough-for-production-settings-0123456789"
PASSWORD = "served-test-password-1"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def environment(home: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SHIHYO_")}
    env.update({"SHIHYO_HOME": str(home), "PYTHONIOENCODING": "utf-8"})
    env.update(extra)
    return env


def shihyo(env: dict[str, str], *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [str(SHIHYO), *args], env=env, input=stdin, capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, f"shihyo {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}"
    return done


def prepare(env: dict[str, str], programme: Path, users: dict[str, str]) -> None:
    """The programme loaded and the accounts made (name -> role), each with PASSWORD."""
    shihyo(env, "load", str(programme), "--by", "tests", "--reason", "served tests")
    for name, role in users.items():
        shihyo(env, "user", "add", name, "--role", role, "--password-stdin", stdin=PASSWORD + "\n")


@contextmanager
def serving(env: dict[str, str], log: Path, *, host: str = "127.0.0.1", threads: int = 8) -> Iterator[str]:
    """`shihyo serve` until the block ends; yields its base URL once /healthz answers."""
    port = free_port()
    url = f"http://{host}:{port}"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [str(SHIHYO), "serve", "--host", host, "--port", str(port), "--threads", str(threads)],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise AssertionError(f"shihyo serve exited with {process.returncode}:\n{log.read_text()}")
            try:
                with urllib.request.urlopen(url + "/healthz", timeout=5):
                    break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                if time.monotonic() > deadline:
                    raise AssertionError(f"shihyo serve did not answer:\n{log.read_text()}") from None
                time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
