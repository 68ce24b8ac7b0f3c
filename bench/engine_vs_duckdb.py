"""Benchmark: shihyo's evaluation engine against a straightforward DuckDB SQL equivalent.

    python bench/engine_vs_duckdb.py [--municipalities 1741] [--repeat 3]

Generates the national-scale synthetic programme once (bench/synthetic.py), times a full evaluation
with shihyo's engine and with the DuckDB equivalent (bench/duckdb_equivalent.py) in the same run
(best of --repeat), checks that both give the same rows and values (relative tolerance 1e-9) and
measures the peak memory of each in a fresh child process of this script (ru_maxrss of the child,
which reads the generated revisions from a Parquet file: its input is counted, the generator is not).
Targets: engine ≤ 1.5 × the DuckDB time, engine peak RSS ≤ 1 GiB. Exit status 1 on any mismatch.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make the `bench` package importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import polars as pl

from bench.compare import compare
from bench.goals import print_goal
from bench.synthetic import make_catalogue, make_programme
from shihyo.core.engine import EvaluationRequest, evaluate
from shihyo.core.model import Programme

TIME_TARGET = 1.5  # engine seconds ÷ DuckDB seconds
MEMORY_TARGET_MIB = 1024.0
GOAL_RATIO = 0.35  # issue 14
GOAL_MEMORY_MIB = 600.0  # issue 14
MiB = 1024 * 1024


def progress(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def peak_rss_mib() -> float:
    """ru_maxrss of this process (Linux reports KiB, macOS bytes).

    On Linux it includes the high-water mark of the process image this one was exec'ed from (the
    forked parent), so children are started while the parent is still small; see also `hwm_mib`.
    """
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / MiB if sys.platform == "darwin" else peak / 1024


def hwm_mib() -> float | None:
    """VmHWM: the peak resident set of this process's own address space (Linux), None elsewhere."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def run_engine(programme: Programme, revisions: pl.DataFrame) -> pl.DataFrame:
    return evaluate(EvaluationRequest(programme, revisions)).values


def run_duckdb(programme: Programme, revisions: pl.DataFrame) -> pl.DataFrame:
    from bench.duckdb_equivalent import evaluate_duckdb  # imported here: the engine's child never loads DuckDB

    return evaluate_duckdb(programme, revisions)


RUNNERS: dict[str, Callable[[Programme, pl.DataFrame], pl.DataFrame]] = {"engine": run_engine, "duckdb": run_duckdb}


@dataclass
class Timing:
    seconds: list[float]
    values: pl.DataFrame | None  # the result of the last run, until compared

    @property
    def best(self) -> float:
        return min(self.seconds)


def time_runs(runners: dict[str, Callable[[], pl.DataFrame]], repeat: int) -> dict[str, Timing]:
    """Each runner `repeat` times, alternating, so that a burst of load elsewhere hits all of them."""
    timings = {name: Timing([], None) for name in runners}
    for i in range(repeat):
        for name, runner in runners.items():
            timings[name].values = None
            gc.collect()
            start = time.perf_counter()
            values = runner()
            timings[name].seconds.append(time.perf_counter() - start)
            timings[name].values = values
            progress(f"{name} run {i + 1}/{repeat}: {timings[name].seconds[-1]:.2f} s, {values.height:,} rows")
            del values
    return timings


def load() -> str:
    try:
        return "load average " + " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "load average unknown"


def busy() -> bool:
    """Whether other work already keeps half the cores busy (the timings then mean little)."""
    try:
        return os.getloadavg()[0] > 0.5 * (os.cpu_count() or 1)
    except OSError:
        return False


def scale_args(args: argparse.Namespace) -> list[str]:
    return [
        f"--municipalities={args.municipalities}",
        f"--series={args.series}",
        f"--years={args.years}",
        f"--indicators={args.indicators}",
        f"--seed={args.seed}",
    ]


def scale(args: argparse.Namespace) -> dict[str, int]:
    return {
        "municipalities": args.municipalities,
        "series": args.series,
        "years": args.years,
        "indicators": args.indicators,
        "seed": args.seed,
    }


def child(args: argparse.Namespace) -> int:
    """One measurement in this fresh process; prints one JSON line."""
    report: dict[str, Any] = {"only": args.only}
    if args.only == "generate":
        start = time.perf_counter()
        _, revisions = make_programme(**scale(args))
        report |= {"seconds": time.perf_counter() - start, "rows": revisions.height}
        report["peak_rss_mib"], report["hwm_mib"] = peak_rss_mib(), hwm_mib()
        revisions.write_parquet(args.input)  # the input of the other children
    else:
        programme = make_catalogue(**scale(args))
        revisions = pl.read_parquet(args.input)
        gc.collect()
        report["input_peak_rss_mib"], report["input_hwm_mib"] = peak_rss_mib(), hwm_mib()
        start = time.perf_counter()
        values = RUNNERS[args.only](programme, revisions)
        report |= {"seconds": time.perf_counter() - start, "rows": values.height}
        report["peak_rss_mib"], report["hwm_mib"] = peak_rss_mib(), hwm_mib()
    print(json.dumps(report))
    return 0


def measure_child(args: argparse.Namespace, only: str, input_path: Path) -> dict[str, Any]:
    command = [
        sys.executable,
        str(Path(__file__).resolve()),
        f"--only={only}",
        f"--input={input_path}",
        *scale_args(args),
    ]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed ({done.returncode}):\n{done.stderr[-4000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def machine() -> str:
    import duckdb

    cores = os.cpu_count() or 0
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else cores
    memory = ""
    try:
        with open("/proc/meminfo", encoding="ascii") as meminfo:
            kib = int(meminfo.readline().split()[1])
        memory = f", {kib / 1024 / 1024:.1f} GiB RAM"
    except (OSError, ValueError, IndexError):
        pass
    return (
        f"{cores} cores ({usable} usable, polars pool {pl.thread_pool_size()}){memory}, "
        f"{platform.system()} {platform.machine()}, Python {platform.python_version()}, "
        f"polars {pl.__version__}, duckdb {duckdb.__version__}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--municipalities", type=int, default=1741)
    parser.add_argument("--series", type=int, default=60)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--indicators", type=int, default=80)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=3, help="timed runs of each engine (the best counts)")
    parser.add_argument("--no-memory", action="store_true", help="skip the peak-memory child processes")
    parser.add_argument("--only", choices=["generate", "engine", "duckdb"], help=argparse.SUPPRESS)
    parser.add_argument("--input", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.only:
        return child(args)
    at_start, was_busy = load(), busy()  # before this script loads the machine itself
    command = "python bench/engine_vs_duckdb.py " + " ".join(a for a in (argv if argv is not None else sys.argv[1:]))

    memory: dict[str, dict[str, Any]] = {}
    if not args.no_memory:  # first, while this process is small (children inherit its ru_maxrss)
        with tempfile.TemporaryDirectory(prefix="shihyo-bench-") as tmp:
            path = Path(tmp) / "revisions.parquet"
            for only in ("generate", "engine", "duckdb"):
                progress(
                    f"peak memory: {only} in a fresh process" + (f" (writes {path})" if only == "generate" else "")
                )
                memory[only] = measure_child(args, only, path)
                progress(f"peak memory: {only}: {memory[only]['peak_rss_mib']:,.0f} MiB")

    progress(
        f"generating {args.municipalities:,} municipalities × {args.series} series × {args.years} fiscal years, "
        f"{args.indicators} indicators (seed {args.seed})"
    )
    start = time.perf_counter()
    programme, revisions = make_programme(**scale(args))
    generate_seconds = time.perf_counter() - start
    progress(f"generated {revisions.height:,} revision rows in {generate_seconds:.2f} s")

    progress(f"timing shihyo's engine and the DuckDB equivalent, alternately (best of {args.repeat}); {load()}")
    if was_busy:
        progress(f"warning: the machine was busy at start ({at_start}); the seconds will be skewed — rerun when idle")
    timings = time_runs(
        {"engine": lambda: run_engine(programme, revisions), "duckdb": lambda: run_duckdb(programme, revisions)},
        args.repeat,
    )
    engine, duck = timings["engine"], timings["duckdb"]
    after = load()

    progress("comparing rows and values")
    assert engine.values is not None and duck.values is not None
    comparison = compare(engine.values, duck.values)
    rows_out = engine.values.height
    engine.values = duck.values = None
    gc.collect()

    ratio = engine.best / duck.best
    print_table(args, command, revisions.height, rows_out, generate_seconds, engine, duck, ratio, memory)
    print(f"{at_start} at start, {after} after the timed runs (other work on the machine skews the seconds)")
    if was_busy:
        print("warning: the machine was busy at start; rerun on an idle machine for figures to publish")
    print(comparison.describe())
    return 0 if comparison.ok else 1


def print_table(
    args: argparse.Namespace,
    command: str,
    rows_in: int,
    rows_out: int,
    generate_seconds: float,
    engine: Timing,
    duck: Timing,
    ratio: float,
    memory: dict[str, dict[str, Any]],
) -> None:
    def mib(name: str, key: str) -> str:
        value = memory.get(name, {}).get(key)
        return "–" if value is None else f"{value:,.0f}"

    def runs(t: Timing) -> str:
        return ", ".join(f"{s:.2f}" for s in t.seconds)

    print(
        f"\nshihyo engine vs DuckDB SQL — {args.municipalities:,} municipalities × {args.series} series × "
        f"{args.years} fiscal years (halves), {args.indicators} indicators, seed {args.seed}"
    )
    print(f"command: {command.strip()}")
    print(f"machine: {machine()}")
    print(f"rows in (revisions): {rows_in:,}    rows out (values): {rows_out:,}")
    print()
    header = f"{'':<14}{'seconds':>9}{'peak RSS MiB':>14}{'VmHWM MiB':>11}{'after input MiB':>17}   runs (s)"
    print(header)
    print(f"{'generator':<14}{generate_seconds:>9.2f}{mib('generate', 'peak_rss_mib'):>14}", end="")
    print(f"{mib('generate', 'hwm_mib'):>11}")
    for label, name, t in (("shihyo engine", "engine", engine), ("DuckDB SQL", "duckdb", duck)):
        print(f"{label:<14}{t.best:>9.2f}{mib(name, 'peak_rss_mib'):>14}{mib(name, 'hwm_mib'):>11}", end="")
        print(f"{mib(name, 'input_peak_rss_mib'):>17}   {runs(t)}")
    print(
        "(seconds: best of the runs in this process; memory: ru_maxrss and VmHWM of a fresh child process "
        "per row, the evaluation's input read from Parquet before it starts)"
    )
    print()
    met = "met" if ratio <= TIME_TARGET else "NOT met"
    print(f"time: engine / DuckDB = {ratio:.2f}× (target ≤ {TIME_TARGET}×: {met})")
    print_goal(
        f"evaluation against DuckDB SQL, {args.municipalities:,} municipalities",
        f"{engine.best:.2f} s",
        f"DuckDB SQL {duck.best:.2f} s",
        ratio,
        f"≤ {GOAL_RATIO}×",
        ratio <= GOAL_RATIO,
    )
    if "engine" in memory:
        peak = float(memory["engine"]["peak_rss_mib"])
        met = "met" if peak <= MEMORY_TARGET_MIB else "NOT met"
        print(f"memory: engine peak RSS {peak:,.0f} MiB (target ≤ {MEMORY_TARGET_MIB:,.0f} MiB: {met})")
        print_goal(
            f"evaluation peak memory, {args.municipalities:,} municipalities",
            f"{peak:,.0f} MiB",
            f"DuckDB {float(memory['duckdb']['peak_rss_mib']):,.0f} MiB" if "duckdb" in memory else "―",
            None,
            f"≤ {GOAL_MEMORY_MIB:,.0f} MiB",
            peak <= GOAL_MEMORY_MIB,
        )


if __name__ == "__main__":
    sys.exit(main())
