"""Load test of the dashboard: page server time under concurrent clients, measured with wrk.

    python bench/dashboard_load.py [--clients 20] [--seconds 20] [--server-threads 8] [--json FILE]

Loads the bundled Kobe dataset into a temporary SHIHYO_HOME with the installed `shihyo load`, starts the
real server (`shihyo serve`, waitress) on a free port on 127.0.0.1, warms it up, then runs wrk (Debian
package `wrk`) with --clients concurrent connections for --seconds against the overview `/`, then against
/indicators/mnc_rate/ and /summary/, one page at a time. Each connection sends its next request as soon as
the previous answer is in (a closed loop), so the latency includes the time a request waits for a server
thread. The wrk hook bench/wrk_p95.lua reports the percentiles (latency:percentile(95) is the p95).

Then the references of the same server in the same run: a 404 (the framework's floor) and the overview
asked with If-None-Match (every answer a 304). Prints requests/s, p50/p95/p99 latency in ms and errors
per page, the single-client time of each page (median of the warm-up requests), the machine, and the goal
lines: the cached overview serves ≥ 0.5× the 404's requests/s, its p95 ≤ 40 ms, conditional requests get
304. Exit status: 0 when every goal is met and no request failed, 1 otherwise.

Only the loopback address is used; every wrk run is bounded by --seconds (at most 300) and the server is
stopped at the end, whatever happens.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make the `bench` package importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.goals import print_goal
from shihyo import examples

ROOT = Path(__file__).resolve().parent.parent
KOBE = examples.path("kobe")
LUA = Path(__file__).resolve().parent / "wrk_p95.lua"
SHIHYO = Path(sys.executable).parent / "shihyo"
HOST = "127.0.0.1"  # loopback only, by design
PAGES = ("/", "/indicators/mnc_rate/", "/summary/")
NOT_FOUND = "/no-such-page/"
TARGET_P95_MS = 40.0  # the cached overview (issue 14)
TARGET_RATIO = 0.5  # of the same server's 404 requests/s
WARMUP = 20  # sequential requests per page before the load, also the single-client sample


@dataclass
class PageResult:
    path: str
    single_client_ms: float
    requests: int
    seconds: float
    requests_per_s: float
    p50_ms: float
    p90_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float
    errors: dict[str, int]
    bytes_per_request: float


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        port: int = sock.getsockname()[1]
        return port


def machine(server_threads: int) -> dict[str, Any]:
    cpu = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        found = re.search(r"^model name\s*:\s*(.+)$", cpuinfo.read_text(errors="replace"), re.MULTILINE)
        cpu = found.group(1).strip() if found else ""
    wrk = subprocess.run(["wrk", "-v"], capture_output=True, text=True, check=False, timeout=10)
    return {
        "cores": os.cpu_count(),
        "cpu": cpu or platform.processor(),
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "os": platform.platform(),
        "server": f"shihyo serve (waitress, {server_threads} threads), SQLite, DEBUG off",
        "load_generator": (wrk.stdout or wrk.stderr).splitlines()[0].strip() if (wrk.stdout or wrk.stderr) else "wrk",
    }


def wait_until_up(url: str, process: subprocess.Popen[bytes], seconds: float = 60.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"shihyo serve exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"shihyo serve did not answer {url} within {seconds:.0f} s")


def single_client_ms(url: str, count: int) -> float:
    """Warm-up: `count` sequential requests; the median time of one request with no other client."""
    times = []
    for _ in range(count):
        started = time.perf_counter()
        with urllib.request.urlopen(url, timeout=30) as response:
            response.read()
            if response.status != 200:
                raise SystemExit(f"GET {url}: HTTP {response.status}")
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def run_wrk(url: str, clients: int, seconds: int, threads: int, headers: tuple[str, ...] = ()) -> dict[str, int]:
    command = [
        "wrk",
        f"--threads={threads}",
        f"--connections={clients}",
        f"--duration={seconds}s",
        "--timeout=10s",
        f"--script={LUA}",
        *(f"--header={h}" for h in headers),
        url,
    ]
    done = subprocess.run(command, capture_output=True, text=True, check=False, timeout=seconds + 60)
    line = next((x for x in done.stdout.splitlines() if x.startswith("SHIHYO_RESULT ")), None)
    if done.returncode != 0 or line is None:
        raise SystemExit(f"wrk failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    return {key: int(value) for key, value in (item.split("=") for item in line.split()[1:])}


def etag_of(url: str) -> str:
    with urllib.request.urlopen(url, timeout=30) as response:
        return str(response.headers.get("ETag") or "")


def measure(
    base: str, path: str, clients: int, seconds: int, wrk_threads: int, *, label: str = "", etag: str = ""
) -> PageResult:
    """wrk on one page; with `etag`, every request is conditional (If-None-Match: the page's ETag)."""
    single = single_client_ms(base + path, WARMUP) if not label else 0.0  # warm-up: pages only
    headers = (f"If-None-Match: {etag}",) if etag else ()
    raw = run_wrk(base + path, clients, seconds, wrk_threads, headers)
    duration = raw["duration_us"] / 1e6
    return PageResult(
        path=label or path,
        single_client_ms=round(single, 1),
        requests=raw["requests"],
        seconds=round(duration, 2),
        requests_per_s=round(raw["requests"] / duration, 1) if duration else 0.0,
        p50_ms=raw["p50_us"] / 1000,
        p90_ms=raw["p90_us"] / 1000,
        p95_ms=raw["p95_us"] / 1000,
        p99_ms=raw["p99_us"] / 1000,
        max_ms=raw["max_us"] / 1000,
        errors={k: raw[k] for k in ("connect", "read", "write", "status", "timeout")},
        bytes_per_request=round(raw["bytes"] / raw["requests"]) if raw["requests"] else 0,
    )


def combined(runs: list[PageResult]) -> PageResult:
    """Several wrk runs of one page: requests/s over all of them, the median of their percentiles."""
    requests, seconds = sum(r.requests for r in runs), sum(r.seconds for r in runs)
    errors = {key: sum(r.errors[key] for r in runs) for key in runs[0].errors}
    return PageResult(
        path=runs[0].path,
        single_client_ms=max(r.single_client_ms for r in runs),
        requests=requests,
        seconds=round(seconds, 2),
        requests_per_s=round(requests / seconds, 1) if seconds else 0.0,
        p50_ms=statistics.median(r.p50_ms for r in runs),
        p90_ms=statistics.median(r.p90_ms for r in runs),
        p95_ms=statistics.median(r.p95_ms for r in runs),
        p99_ms=statistics.median(r.p99_ms for r in runs),
        max_ms=max(r.max_ms for r in runs),
        errors=errors,
        bytes_per_request=round(sum(r.bytes_per_request * r.requests for r in runs) / requests) if requests else 0,
    )


def serve_and_measure(args: argparse.Namespace) -> list[PageResult]:
    with tempfile.TemporaryDirectory(prefix="shihyo-bench-") as home:
        env = {**os.environ, "SHIHYO_HOME": home}
        for name in ("SHIHYO_DATABASE_URL", "SHIHYO_DEBUG"):
            env.pop(name, None)
        print(f"loading {KOBE.relative_to(ROOT)} into {home} …", flush=True)
        subprocess.run(
            [str(SHIHYO), "load", str(KOBE), "--by", "bench", "--reason", "bench/dashboard_load.py"],
            env=env,
            cwd=home,
            check=True,
            capture_output=True,
            timeout=300,
        )
        port = free_port()
        base = f"http://{HOST}:{port}"
        log = Path(home) / "server.log"
        with log.open("wb") as out:
            server = subprocess.Popen(
                [str(SHIHYO), "serve", "--host", HOST, "--port", str(port), "--threads", str(args.server_threads)],
                env=env,
                cwd=home,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        try:
            wait_until_up(base + "/", server)
            results = []
            for path in args.pages:
                if path == "/":
                    continue  # measured below, in turns with its reference
                print(f"wrk: {args.clients} connections × {args.seconds} s on {path} …", flush=True)
                results.append(measure(base, path, args.clients, args.seconds, args.wrk_threads))
            # the overview in turns with the references of the same server: a 404 (the framework's floor:
            # middleware, URL resolution, the error page) and the overview asked conditionally (304), so
            # that the load other processes put on the machine falls alike on all three
            etag = etag_of(base + "/")
            turns: dict[str, list[PageResult]] = {"/": [], f"{NOT_FOUND} (404)": [], "/ (304)": []}
            for turn in range(args.rounds):
                print(f"wrk, turn {turn + 1}/{args.rounds}: / , {NOT_FOUND}, / with If-None-Match …", flush=True)
                turns["/"].append(measure(base, "/", args.clients, args.seconds, args.wrk_threads))
                turns[f"{NOT_FOUND} (404)"].append(
                    measure(base, NOT_FOUND, args.clients, args.seconds, args.wrk_threads, label=f"{NOT_FOUND} (404)")
                )
                if etag:
                    turns["/ (304)"].append(
                        measure(base, "/", args.clients, args.seconds, args.wrk_threads, label="/ (304)", etag=etag)
                    )
            results[:0] = [combined(runs) for runs in turns.values() if runs]
            return results
        finally:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait(timeout=10)
            errors = [x for x in log.read_text(errors="replace").splitlines() if "Traceback" in x or "ERROR" in x]
            if errors:
                print("server log has errors:\n  " + "\n  ".join(errors[:10]))


def report(results: list[PageResult], facts: dict[str, Any], clients: int) -> bool:
    print()
    print(f"{'page':<24} {'1 client':>9} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'max ms':>8} errors")
    for r in results:
        errors = sum(r.errors.values())
        print(
            f"{r.path:<24} {r.single_client_ms:>9.1f} {r.requests_per_s:>8.1f} {r.p50_ms:>8.1f} {r.p95_ms:>8.1f} "
            f"{r.p99_ms:>8.1f} {r.max_ms:>8.1f} {errors}" + (f" {r.errors}" if errors else "")
        )
    print(
        "(1 client: median ms of one request with no other load; the rest with "
        f"{clients} concurrent connections, closed loop)"
    )
    print()
    for key, value in facts.items():
        print(f"{key:>15}: {value}")
    overview = next((r for r in results if r.path == "/"), None)
    floor = next((r for r in results if r.path.endswith("(404)")), None)
    conditional = next((r for r in results if r.path == "/ (304)"), None)
    pages = [r for r in results if not r.path.endswith(")")]
    failed = any(sum(r.errors.values()) for r in pages) or (
        conditional is not None and sum(conditional.errors.values()) > 0
    )
    if overview is None:
        return not failed
    print()
    ok = True
    if floor is not None:
        ratio = overview.requests_per_s / floor.requests_per_s if floor.requests_per_s else 0.0
        ok &= print_goal(
            f"cached overview throughput, {clients} connections",
            f"{overview.requests_per_s:.0f} req/s",
            f"404 of the same server {floor.requests_per_s:.0f} req/s",
            ratio,
            f"≥ {TARGET_RATIO}× the 404",
            ratio >= TARGET_RATIO,
        )
    ok &= print_goal(
        f"cached overview p95, {clients} connections",
        f"{overview.p95_ms:.1f} ms",
        f"404 p95 {floor.p95_ms:.1f} ms" if floor else "―",
        overview.p95_ms / floor.p95_ms if floor and floor.p95_ms else None,
        f"≤ {TARGET_P95_MS:.0f} ms",
        overview.p95_ms <= TARGET_P95_MS,
    )
    if conditional is not None:
        ok &= print_goal(
            "conditional overview (If-None-Match: its ETag → 304)",
            f"{conditional.requests_per_s:.0f} req/s, p95 {conditional.p95_ms:.1f} ms, "
            f"{sum(conditional.errors.values())} errors",
            f"the full overview {overview.requests_per_s:.0f} req/s",
            conditional.requests_per_s / overview.requests_per_s if overview.requests_per_s else None,
            "answered 304, no errors",
            sum(conditional.errors.values()) == 0,
        )
    return ok and not failed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--clients", type=int, default=20, help="concurrent connections (default 20)")
    parser.add_argument("--seconds", type=int, default=20, help="duration of each wrk run (default 20)")
    parser.add_argument("--server-threads", type=int, default=8, help="waitress threads (default 8, as serve)")
    parser.add_argument(
        "--wrk-threads", type=int, default=1, help="wrk threads (default 1: leave a core to the server)"
    )
    parser.add_argument("--pages", nargs="+", default=list(PAGES), help=f"paths to load (default {' '.join(PAGES)})")
    parser.add_argument(
        "--rounds", type=int, default=3, help="turns of the overview, the 404 and the 304 (default 3)"
    )
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    args = parser.parse_args(argv)
    if not 1 <= args.clients <= 1000 or not 1 <= args.seconds <= 300 or not 1 <= args.rounds <= 10:
        parser.error("--clients must be 1…1000, --seconds 1…300 and --rounds 1…10")
    if not all(p.startswith("/") for p in args.pages):
        parser.error("--pages are paths on the local server, starting with /")
    if shutil.which("wrk") is None:
        print("wrk is not installed: apt-get install wrk (.ci/run installs it)", file=sys.stderr)
        return 2
    facts = machine(args.server_threads)
    results = serve_and_measure(args)
    ok = report(results, facts, args.clients)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        payload = {"clients": args.clients, "seconds": args.seconds, "machine": facts}
        payload["pages"] = [asdict(r) for r in results]
        args.json.write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
