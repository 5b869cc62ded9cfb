"""Benchmark of publishing and federating (issue: observatories publish and federate).

1. Serving: generated cases (10,000 by default) in an on-disk store served by
   ``isgraph serve`` on 127.0.0.1. Every catalogue query is sent to ``/sparql``
   (GET, SPARQL JSON) by 4 concurrent clients, --rounds times each; the same queries
   run in-process by 4 concurrent threads (on the same store opened read-only beside
   the server; every row read and serialised to SPARQL JSON, as the server does) are
   the baseline: on a 2-core machine 4 queries at once each take about twice as long,
   in-process or not, so the time HTTP adds is measured against the same load. The
   in-process and HTTP rounds alternate, so that both see the same moments of a
   shared machine. Prints, per query, the median and 95th-percentile
   latency through HTTP, the in-process median and the difference; the same one query
   at a time; then the median difference over the catalogue. Because the multi-second
   queries vary by hundreds of milliseconds from run to run, the time HTTP adds is also
   measured per request: the latency minus the store's own time, which the server sends
   in its ``Server-Timing`` header (target: < 20 ms at the median).
2. Fairness: the same store served with ``--query-timeout 2``; ``ASK {}`` is sent 60
   times (0.1 s apart) to the idle server, then again while --clients clients each send,
   one after the other, a query that runs into the time limit (a cartesian product).
   Prints the median and 90th percentile of ``ASK {}`` in both, and the ratio
   (target: < 100 ms at the median under load; on main fb3163a it waited 9.5-9.9 s).
3. Harvesting: the same cases on a local Oxigraph server (``oxigraph serve``),
   harvested by ``isgraph harvest`` into a fresh store (target: < 60 s), then harvested
   again (a refresh, which replaces every case).

    .venv/bin/python bench/serve.py [--cases 10000] [--clients 4] [--rounds 5] [--only serving|fairness|harvest]
"""

from __future__ import annotations

import argparse
import concurrent.futures
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait(url: str, process: subprocess.Popen) -> None:  # type: ignore[type-arg]
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None:
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"server at {url} did not start")


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def measure(run, jobs: list[str], clients: int) -> dict[str, list[float]]:  # type: ignore[no-untyped-def]
    """Each job's latency, ``clients`` at a time."""
    latencies: dict[str, list[float]] = {name: [] for name in jobs}
    with concurrent.futures.ThreadPoolExecutor(max_workers=clients) as pool:
        for name, seconds in zip(jobs, pool.map(run, jobs), strict=True):
            latencies[name].append(seconds)
    return latencies


def serving(args, texts: dict[str, str], store_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The serving half: the catalogue through ``isgraph serve``, against the same queries in-process,
    round by round."""
    from isgraph.store.limits import collect, json_results

    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "isgraph.cli",
            "serve",
            "--store",
            str(store_path),
            "--port",
            str(port),
            "--max-results",
            str(10**9),
            "--query-timeout",
            "600",
            "--workers",
            str(args.clients),
        ],
        env={**os.environ, "ISGRAPH_TOKEN": ""},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    added: list[float] = []  # per request: the latency minus the store's own time (Server-Timing)
    local_serial: dict[str, list[float]] = {name: [] for name in texts}
    http_serial: dict[str, list[float]] = {name: [] for name in texts}
    local_load: dict[str, list[float]] = {name: [] for name in texts}
    http_load: dict[str, list[float]] = {name: [] for name in texts}
    try:
        wait(f"{base}/sparql?query=ASK%7B%7D", server)
        beside = ox.Store.read_only(str(store_path))

        def run(name: str) -> float:
            started = time.perf_counter()
            json_results(
                collect(
                    beside.query(texts[name], use_default_graph_as_union=True),
                    started=time.monotonic(),
                    timeout=1e9,
                    max_results=10**9,
                )
            )
            return time.perf_counter() - started

        def fetch(name: str) -> float:
            request = urllib.request.Request(
                f"{base}/sparql?query={urllib.parse.quote(texts[name], safe='')}",
                headers={"Accept": "application/sparql-results+json"},
            )
            started = time.perf_counter()
            with urllib.request.urlopen(request, timeout=600) as response:
                response.read()
                timing = response.headers.get("Server-Timing", "")
            latency = time.perf_counter() - started
            added.append(latency - float(timing.split("dur=")[1].split(";")[0]) / 1000)
            return latency

        for name in texts:  # warm-up
            run(name)
            fetch(name)
        added.clear()
        for _ in range(args.rounds):  # alone: one query at a time, in-process then through HTTP
            for name in texts:
                local_serial[name].append(run(name))
                http_serial[name].append(fetch(name))
        added_serial = list(added)
        added.clear()
        added_under_load: list[float] = []
        for _ in range(args.rounds):  # under load: one round in-process, then the same round through HTTP
            for name, values in measure(run, list(texts), args.clients).items():
                local_load[name] += values
            added.clear()
            for name, values in measure(fetch, list(texts), args.clients).items():
                http_load[name] += values
            added_under_load += added
    finally:
        server.terminate()
        server.wait(timeout=30)

    print(
        f"   {args.rounds} requests per query; milliseconds. Under load: {args.clients} concurrent clients "
        f"(HTTP) against {args.clients} concurrent threads (in-process), rounds alternating; alone: one at a time"
    )
    print(
        f"   {'query':34s} {'HTTP med':>9s} {'HTTP p95':>9s} {'in-proc':>9s} {'added':>8s} | "
        f"{'HTTP alone':>10s} {'in-proc':>9s} {'added':>8s}"
    )
    added_load, added_alone, all_latencies = [], [], []
    for name in texts:
        values = http_load[name]
        all_latencies += values
        under_load = statistics.median(values) - statistics.median(local_load[name])
        alone = statistics.median(http_serial[name]) - statistics.median(local_serial[name])
        added_load.append(under_load)
        added_alone.append(alone)
        print(
            f"   {name:34s} {statistics.median(values) * 1000:9.1f} {percentile(values, 95) * 1000:9.1f} "
            f"{statistics.median(local_load[name]) * 1000:9.1f} {under_load * 1000:8.1f} | "
            f"{statistics.median(http_serial[name]) * 1000:10.1f} {statistics.median(local_serial[name]) * 1000:9.1f} "
            f"{alone * 1000:8.1f}"
        )
    print(
        f"   all requests under load: median {statistics.median(all_latencies) * 1000:.1f} ms, "
        f"p95 {percentile(all_latencies, 95) * 1000:.1f} ms"
    )
    print(
        f"   median time added by HTTP over the catalogue (HTTP median - in-process median, per query): "
        f"{statistics.median(added_load) * 1000:.1f} ms under load, {statistics.median(added_alone) * 1000:.1f} ms alone"
    )
    print(
        f"   time added by HTTP, per request (latency - the store's time in Server-Timing), over all "
        f"{len(added_under_load)} requests under load: median {statistics.median(added_under_load) * 1000:.1f} ms, "
        f"p95 {percentile(added_under_load, 95) * 1000:.1f} ms; alone: median {statistics.median(added_serial) * 1000:.1f} ms "
        f"(target < 20 ms at the median)",
        flush=True,
    )


HEAVY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def fairness(args, store_path: Path) -> None:  # type: ignore[no-untyped-def]
    """ASK {} beside long queries, with the two lanes and with one (the design before)."""
    two = fairness_of(args, store_path, [], asks=60)
    one = fairness_of(args, store_path, ["--long-after", "1e9"], asks=30)
    print(f"== fairness: ASK {{}} while {args.clients} clients run queries that reach the 2 s limit")
    for name, (idle, loaded, statuses, refused) in (("two lanes", two), ("one lane (--long-after 1e9, the design before)", one)):
        print(f"   {name}:")
        print(f"     idle:   median {statistics.median(idle) * 1000:8.1f} ms, p90 {percentile(idle, 90) * 1000:8.1f} ms")
        print(
            f"     loaded: median {statistics.median(loaded) * 1000:8.1f} ms, p90 {percentile(loaded, 90) * 1000:8.1f} ms"
            f" ({len(loaded)} ASK, {len(refused)} of them stopped by the time limit; "
            f"{len(statuses)} long queries answered, {statuses.count(503)} with 503)"
        )
    print(
        f"   ratio loaded/idle: two lanes {statistics.median(two[1]) / statistics.median(two[0]):.1f}, "
        f"one lane {statistics.median(one[1]) / statistics.median(one[0]):.1f}; under load, one lane / two lanes: "
        f"{statistics.median(one[1]) / statistics.median(two[1]):.0f}x "
        "(target: < 100 ms at the median under load; main fb3163a: 9,500-9,900 ms)"
    )


def fairness_of(args, store_path: Path, options: list[str], asks: int) -> tuple[list[float], list[float], list[int], list[int]]:  # type: ignore[no-untyped-def]
    """(ASK {} times idle, ASK {} times under load, statuses of the long queries, statuses of the ASK {} refused)."""
    port = free_port()
    command = [sys.executable, "-m", "isgraph.cli", "serve", "--store", str(store_path), "--port", str(port)]
    server = subprocess.Popen(
        [*command, "--query-timeout", "2", "--lang", "en", *options],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    ask = f"{base}/sparql?query={urllib.parse.quote('ASK {}')}"
    heavy = f"{base}/sparql?query={urllib.parse.quote(HEAVY)}"

    def timed(url: str) -> tuple[float, int]:
        started = time.perf_counter()
        request = urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"})
        try:
            with urllib.request.urlopen(request, timeout=600) as response:
                response.read()
                status = response.status
        except urllib.error.HTTPError as exc:
            status = exc.code
        return time.perf_counter() - started, status

    refused: list[int] = []

    def ask_times() -> list[float]:
        found = []
        for _ in range(asks):
            seconds, status = timed(ask)
            if status != 200:  # starved past the time limit (503)
                refused.append(status)
            found.append(seconds)
            time.sleep(0.1)
        return found

    statuses: list[int] = []
    try:
        wait(ask, server)
        idle = ask_times()
        stop = threading.Event()

        def client() -> None:
            while not stop.is_set():
                statuses.append(timed(heavy)[1])

        with concurrent.futures.ThreadPoolExecutor(args.clients) as pool:
            for _ in range(args.clients):
                pool.submit(client)
            try:
                time.sleep(2.5)  # every client has a query running past the budget
                loaded = ask_times()
            finally:
                stop.set()
    finally:
        server.terminate()
        server.wait(timeout=60)
    return idle, loaded, statuses, refused


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10000)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--only", choices=["serving", "fairness", "harvest"], help="run one part only")
    args = parser.parse_args()

    from isgraph.graph.build import build
    from isgraph.graph.generator import write_cases
    from isgraph.query import catalogue
    from isgraph.store import EmbeddedStore

    queries = catalogue.load_catalogue()
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        cases = tmp / "cases.nq"
        with cases.open("wb") as out:
            write_cases(out, args.cases, seed=1, defects=0.0, fmt="nquads")
        store_path = tmp / "store"
        with EmbeddedStore(store_path) as store:
            build(store=store, reason=False)
            store.load(cases, ox.RdfFormat.N_QUADS)
            print(f"== {args.cases} cases, {store.count():,} quads", flush=True)
        texts = {q.name: q.bind() for q in queries}

        if args.only in (None, "serving"):
            serving(args, texts, store_path)
        if args.only in (None, "fairness"):
            fairness(args, store_path)
        if args.only in ("serving", "fairness"):
            return
        # --- harvest from a local Oxigraph server ---------------------------------------
        binary = shutil.which("oxigraph") or str(Path(sys.executable).with_name("oxigraph"))
        subprocess.run(
            [binary, "load", "--location", str(tmp / "oxigraph"), "--file", str(cases)],
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        port = free_port()
        oxigraph = subprocess.Popen(
            [binary, "serve", "--location", str(tmp / "oxigraph"), "--bind", f"127.0.0.1:{port}", "--union-default-graph"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            wait(f"http://127.0.0.1:{port}/query?query=ASK%7B%7D", oxigraph)
            sources = tmp / "sources.yaml"
            sources.write_text(
                f"sources:\n  - name: bench\n    endpoint: http://127.0.0.1:{port}/query\n"
                "    licence: https://creativecommons.org/licenses/by/4.0/\n    contact: bench@example.org\n"
                "    timeout: 600\n",
                encoding="utf-8",
            )
            target = tmp / "harvested"
            with EmbeddedStore(target) as fresh:
                build(store=fresh, reason=False)
                # the generated cases name generated communes: the harvesting store knows them too,
                # as two observatories share the reference territories
                territories = [
                    q
                    for q in ox.parse(path=str(cases), format=ox.RdfFormat.N_QUADS)
                    if q.graph_name.value.startswith("https://w3id.org/isgraph/graph/territories/")
                ]
                fresh.replace_graphs({territories[0].graph_name.value: [q.triple for q in territories]})
            runs = []
            for _ in ("first", "refresh"):
                started = time.perf_counter()
                done = subprocess.run(
                    [
                        sys.executable,
                        "-m",
                        "isgraph.cli",
                        "harvest",
                        str(sources),
                        "--store",
                        str(target),
                        "--quarantine",
                        str(tmp / "quarantine"),
                        "--lang",
                        "en",
                    ],
                    check=False,
                    capture_output=True,
                    text=True,
                )
                runs.append((time.perf_counter() - started, done))
        finally:
            oxigraph.terminate()
            oxigraph.wait(timeout=30)
        (seconds, done), (again, refreshed) = runs
        print(f"== harvest of {args.cases} cases from a local Oxigraph server: {seconds:.1f} s (target < 60 s)")
        print("   " + ((done.stdout.strip() or done.stderr.strip()).splitlines() or [""])[0])
        print(f"   the same harvest again (a refresh: every case replaced, atomic batches): {again:.1f} s")
        print("   " + ((refreshed.stdout.strip() or refreshed.stderr.strip()).splitlines() or [""])[0])


if __name__ == "__main__":
    main()
