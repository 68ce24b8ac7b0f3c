"""The first overview after an approval: how long the next visitor waits after one unit's figures change.

    python bench/fresh_after_write.py [--programme kobe] [--writes 7]

Loads the bundled programme into a temporary SHIHYO_HOME (SQLite) with the installed `shihyo load`, then,
in this process, serves the overview `/` through Django's request handler (the test client: the whole
middleware stack and view, no socket). First the cold overview (a full evaluation: the reference), then
`--writes` times: one unit's approved value changes (`repository.publish`, what an approval calls, inside
a transaction) and the next overview is timed (wall clock and this process's CPU time: on a shared machine
the wall clock includes waiting for a core). The figure is the median wall time after a write.

Goal (issue 14): ≤ 150 ms for Kobe. Exit status 0 when met, 1 otherwise.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the `bench` package importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.goals import print_goal
from shihyo import examples

SHIHYO = Path(sys.executable).parent / "shihyo"
GOAL_MS = 150.0


def timed_get(client: object, path: str) -> tuple[float, float, int]:
    started, cpu = time.perf_counter(), time.process_time()
    response = client.get(path)  # type: ignore[attr-defined]
    return (time.perf_counter() - started) * 1000, (time.process_time() - cpu) * 1000, int(response.status_code)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--programme", default="kobe", choices=["kobe", "minato"])
    parser.add_argument("--writes", type=int, default=7)
    args = parser.parse_args(argv)
    if not 1 <= args.writes <= 100:
        parser.error("--writes must be 1…100")
    with tempfile.TemporaryDirectory(prefix="shihyo-bench-") as home:
        env = {**os.environ, "SHIHYO_HOME": home, "SHIHYO_LOG_LEVEL": "WARNING"}
        env.pop("SHIHYO_DATABASE_URL", None)
        env.pop("SHIHYO_CACHE_URL", None)
        folder = examples.path(args.programme)
        subprocess.run([str(SHIHYO), "load", str(folder), "--by", "bench"], env=env, check=True, capture_output=True)
        os.environ.update({"SHIHYO_HOME": home, "SHIHYO_LOG_LEVEL": "WARNING"})
        os.environ.pop("SHIHYO_DATABASE_URL", None)
        os.environ.pop("SHIHYO_CACHE_URL", None)
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shihyo.web.settings")
        import django

        django.setup()
        from django.db import transaction
        from django.test import Client
        from django.utils import timezone

        from shihyo.core.model import ObservationKind
        from shihyo.web.catalogue import repository
        from shihyo.web.catalogue.evaluation import evaluate_programme

        client = Client(HTTP_HOST="127.0.0.1")
        cold_ms, cold_cpu, status = timed_get(client, "/")
        assert status == 200, f"GET / answered {status}"
        state = evaluate_programme(args.programme)
        # one unit's actual of the report period: what a department's approved figure changes
        rows = state.result.values.filter(~state.result.values["is_indicator"])
        main_unit = state.programme.org_units[0].code
        period = state.programme.report_period.key if state.programme.report_period else None
        candidates = [
            (str(code), str(unit), str(p), float(v))
            for code, unit, p, kind, v in rows.select("code", "org_unit", "period", "kind", "value").iter_rows()
            if kind == ObservationKind.ACTUAL.value and (period is None or p == period)
        ]
        code, unit, period_key, value = next((c for c in candidates if c[1] == main_unit), candidates[0])
        after: list[tuple[float, float]] = []
        for step in range(1, args.writes + 1):
            text = f"{value + step:.4f}".rstrip("0").rstrip(".")
            with transaction.atomic():
                written = repository.publish(
                    args.programme,
                    unit,
                    [repository.Publication(code, period_key, text, text, "", "bench")],
                    by="bench",
                    now=timezone.now(),
                )
            assert written == 1, "the write recorded a new revision"
            wall, cpu, status = timed_get(client, "/")
            assert status == 200
            after.append((wall, cpu))
        cached_ms, _cached_cpu, _ = timed_get(client, "/")
    walls = [w for w, _ in after]
    figure = statistics.median(walls)
    print(f"programme: {args.programme}; changed {code} of {unit} for {period_key} {args.writes} times")
    print(f"cold overview (full evaluation): {cold_ms:.1f} ms (CPU {cold_cpu:.1f} ms)")
    print("after each write: " + ", ".join(f"{w:.0f} ms (CPU {c:.0f})" for w, c in after))
    print(f"cached overview, no write: {cached_ms:.1f} ms")
    ok = print_goal(
        f"first overview after one unit's approval, {args.programme}",
        f"{figure:.1f} ms (median of {args.writes}; CPU {statistics.median(c for _, c in after):.1f} ms)",
        f"cold overview {cold_ms:.1f} ms",
        figure / cold_ms if cold_ms else None,
        f"≤ {GOAL_MS:.0f} ms",
        figure <= GOAL_MS,
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
