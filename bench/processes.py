"""Several app processes sharing one state: PostgreSQL for the data, Redis for the page cache.

    python bench/processes.py [--clients 20] [--seconds 10] [--rounds 2] [--redis-db 13]

Creates a fresh PostgreSQL database (`SHIHYO_BENCH_PG`, default postgresql://postgres@127.0.0.1:5432,
database `shihyo_bench_processes_<pid>`, dropped at the end) and uses one Redis database
(`SHIHYO_BENCH_REDIS`, default redis://127.0.0.1:6379/<--redis-db>, flushed before and after). Loads the
bundled Kobe dataset with the installed `shihyo load`, then starts two real servers, A and B
(`shihyo serve`, waitress), on free loopback ports, both with `SHIHYO_CACHE_URL` pointing at that Redis.

1. Freshness: B serves the overview (now in the shared cache); then one figure changes in the database
   (`shihyo load` of a copy of the dataset where one raw value differs, the way an office reload writes);
   B's next overview must equal the overview of a third server C started after the write with no shared
   cache (it computes from the database alone). The CSRF token, which differs per visitor, is removed
   before comparing. The goal: equal, and different from the page before the write.
2. Throughput: wrk with --clients connections on the cached overview of A alone, then the same number of
   connections split between A and B at the same time (two wrk processes), in --rounds turns so that the
   load other programs put on the machine falls alike on both. The goal: two processes on 2 cores serve
   ≥ 1.5× one.

Exit status 0 when both goals are met, 1 otherwise, 2 when PostgreSQL, Redis or wrk is missing.
"""

from __future__ import annotations

import argparse
import csv
import os
import re
import shutil
import subprocess
import sys
import tempfile
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the `bench` package importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.dashboard_load import HOST, SHIHYO, free_port, machine, run_wrk, wait_until_up
from bench.goals import print_goal
from shihyo import examples

GOAL_RATIO = 1.5
CSRF = re.compile(r'<input type="hidden" name="csrfmiddlewaretoken" value="[^"]*">')


def page(base: str) -> str:
    with urllib.request.urlopen(base + "/", timeout=60) as answer:
        return CSRF.sub("", answer.read().decode("utf-8"))


def changed_copy(source: Path, target: Path) -> str:
    """A copy of the dataset whose first numeric raw actual is one larger; says which figure changed."""
    shutil.copytree(source, target)
    path = target / "observations.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
        fields = list(rows[0].keys())
    for row in rows:
        if row.get("kind", "actual") == "actual" and re.fullmatch(r"\d+", row.get("value", "") or ""):
            row["value"] = str(int(row["value"]) + 1)
            changed = f"{row.get('code')} of {row.get('org_unit')} for {row.get('period')} to {row['value']}"
            break
    else:
        raise SystemExit(f"{path}: no whole-number actual to change")
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)
    return changed


@contextmanager
def database(server: str) -> Iterator[str]:
    import psycopg

    name = f"shihyo_bench_processes_{os.getpid()}"
    with psycopg.connect(server + "/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{server}/{name}"
    finally:
        with psycopg.connect(server + "/postgres", autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class Servers:
    """`shihyo serve` processes on free loopback ports, all stopped at the end."""

    def __init__(self, home: Path) -> None:
        self.home = home
        self.processes: list[subprocess.Popen[bytes]] = []

    def start(self, label: str, env: dict[str, str], threads: int) -> str:
        port = free_port()
        with (self.home / f"server-{label}.log").open("wb") as log:
            process = subprocess.Popen(
                [str(SHIHYO), "serve", "--host", HOST, "--port", str(port), "--threads", str(threads)],
                env=env,
                cwd=self.home,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        self.processes.append(process)
        base = f"http://{HOST}:{port}"
        wait_until_up(base + "/", process)
        return base

    def stop(self) -> None:
        for process in self.processes:
            process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)


def throughput(bases: list[str], clients: int, seconds: int) -> float:
    """Requests/s over all `bases`, each loaded by its own wrk at the same time, clients split evenly."""
    share = [clients // len(bases) + (1 if i < clients % len(bases) else 0) for i in range(len(bases))]
    with ThreadPoolExecutor(max_workers=len(bases)) as pool:  # each thread waits on its own wrk process
        raws = list(pool.map(lambda job: run_wrk(job[0] + "/", job[1], seconds, 1), zip(bases, share, strict=True)))
    total = 0.0
    for raw in raws:
        errors = sum(raw[k] for k in ("connect", "read", "write", "status", "timeout"))
        if errors:
            raise SystemExit(f"wrk saw {errors} failed requests: {raw}")
        total += raw["requests"] / (raw["duration_us"] / 1e6)
    return total


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--clients", type=int, default=20, help="connections in all (default 20)")
    parser.add_argument("--seconds", type=int, default=10, help="duration of each wrk run (default 10)")
    parser.add_argument("--rounds", type=int, default=2, help="turns of one and two processes (default 2)")
    parser.add_argument("--server-threads", type=int, default=8, help="waitress threads per process")
    parser.add_argument("--redis-db", type=int, default=13, help="the Redis database used and flushed")
    args = parser.parse_args(argv)
    if not 2 <= args.clients <= 1000 or not 1 <= args.seconds <= 300 or not 1 <= args.rounds <= 10:
        parser.error("--clients must be 2…1000, --seconds 1…300 and --rounds 1…10")
    if not 0 <= args.redis_db <= 15:
        parser.error("--redis-db must be 0…15")
    if shutil.which("wrk") is None:
        print("wrk is not installed: apt-get install wrk (.ci/run installs it)", file=sys.stderr)
        return 2
    server = os.environ.get("SHIHYO_BENCH_PG", "postgresql://postgres@127.0.0.1:5432")
    redis_url = os.environ.get("SHIHYO_BENCH_REDIS", f"redis://127.0.0.1:6379/{args.redis_db}")
    try:
        import redis

        store = redis.Redis.from_url(redis_url)
        store.flushdb()
    except Exception as error:  # any failure to reach Redis means the bench cannot run
        print(f"Redis at {redis_url} does not answer: {error}", file=sys.stderr)
        return 2
    try:
        with tempfile.TemporaryDirectory(prefix="shihyo-bench-") as folder, database(server) as url:
            home = Path(folder)
            env = {**os.environ, "SHIHYO_HOME": str(home), "SHIHYO_DATABASE_URL": url, "SHIHYO_LOG_LEVEL": "WARNING"}
            env.pop("SHIHYO_DEBUG", None)
            shared = {**env, "SHIHYO_CACHE_URL": redis_url}
            kobe = examples.path("kobe")
            subprocess.run([str(SHIHYO), "load", str(kobe), "--by", "bench"], env=env, check=True, capture_output=True)
            servers = Servers(home)
            try:
                a = servers.start("a", shared, args.server_threads)
                b = servers.start("b", shared, args.server_threads)
                before = page(b)
                changed = changed_copy(kobe, home / "changed")
                subprocess.run(
                    [str(SHIHYO), "load", str(home / "changed"), "--by", "bench", "--reason", "bench/processes.py"],
                    env=env,
                    check=True,
                    capture_output=True,
                )
                after_b = page(b)
                c = servers.start("c", env, args.server_threads)  # no shared cache: computes from the database
                reference = page(c)
                fresh = after_b == reference and after_b != before
                same = "equals" if after_b == reference else "DIFFERS from"
                moved = "differs from" if after_b != before else "is the SAME as"
                print(f"changed {changed}: B's overview {same} that of a server started after the write, "
                      f"and {moved} its overview before the write")  # fmt: skip
                alone, split = [], []
                for turn in range(args.rounds):
                    print(f"wrk, turn {turn + 1}/{args.rounds}: {args.clients} connections on A, then on A+B …")
                    alone.append(throughput([a], args.clients, args.seconds))
                    split.append(throughput([a, b], args.clients, args.seconds))
            finally:
                servers.stop()
    finally:
        store.flushdb()
    one, two = sum(alone) / len(alone), sum(split) / len(split)
    facts = machine(args.server_threads)
    facts["server"] = f"shihyo serve × 2 (waitress, {args.server_threads} threads each), PostgreSQL, Redis cache"
    for key, value in facts.items():
        print(f"{key:>15}: {value}")
    ok = print_goal(
        "a write seen by the other process's next request",
        "B's overview after a reload equals a fresh server's" if fresh else "B's overview is stale",
        "overview of a server started after the write, without the shared cache",
        None,
        "equal, and changed by the write",
        fresh,
    )
    ok &= print_goal(
        f"2 processes on {os.cpu_count()} cores, cached overview, {args.clients} connections",
        f"A+B {two:.0f} req/s",
        f"A alone {one:.0f} req/s",
        two / one if one else None,
        f"≥ {GOAL_RATIO}× one",
        one > 0 and two / one >= GOAL_RATIO,
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
