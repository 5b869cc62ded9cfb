"""Shared fixtures: a store built once from the real ontology and data with the
real reasoner, and a helper that runs the real command line in a subprocess.

Markers (``pytest -m``): ``slow`` (the fast tier is ``-m "not slow"``), ``reasoner``
(runs HermiT) and ``server`` (starts a server process on 127.0.0.1; given here to every
test that uses a server fixture)."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import pytest

import isgraph
from isgraph.store import EmbeddedStore

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"


#: Fixtures that start a server process: a test that uses one is marked ``server``.
SERVER_FIXTURES = {"sparql_server", "served", "oxigraph", "servers"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if SERVER_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.server)


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str


def run_cli(*args: str | Path, cwd: Path | None = None, env: dict[str, str] | None = None, isolated: bool = False) -> Run:
    """Run ``isgraph ARGS`` the way a user does: ``cli.main(argv)`` in this process, with its
    own environment, folder, standard output and error; ``isolated=True`` runs it as a
    separate process (``python -m isgraph.cli``), for the smoke tests of the real entry point."""
    if isolated:
        done = subprocess.run(
            [sys.executable, "-m", "isgraph.cli", *map(str, args)],
            check=False,
            capture_output=True,
            cwd=cwd or ROOT,
            env={**os.environ, "ISGRAPH_LANG": "en", **(env or {})},
            text=True,
            timeout=300,
        )
        return Run(done.returncode, done.stdout, done.stderr)
    return _run_in_process([str(a) for a in args], cwd or ROOT, {"ISGRAPH_LANG": "en", **(env or {})})


def _run_in_process(argv: list[str], cwd: Path, env: dict[str, str]) -> Run:
    import io

    from isgraph.cli import main

    saved_env, saved_cwd, saved_streams = dict(os.environ), os.getcwd(), (sys.stdout, sys.stderr)
    out, err = io.BytesIO(), io.BytesIO()
    stdout = io.TextIOWrapper(out, encoding="utf-8", write_through=True)
    stderr = io.TextIOWrapper(err, encoding="utf-8", write_through=True)
    try:
        os.environ.update(env)
        os.chdir(cwd)
        sys.stdout, sys.stderr = stdout, stderr
        try:
            code = main(argv)
        except SystemExit as exc:  # argparse: --help, --version, a usage error
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 2)
        stdout.flush()
        stderr.flush()
    finally:
        sys.stdout, sys.stderr = saved_streams
        os.chdir(saved_cwd)
        os.environ.clear()
        os.environ.update(saved_env)

    def text(data: bytes) -> str:  # as a subprocess read in text mode gives it: universal newlines
        return data.decode("utf-8", errors="replace").replace("\r\n", "\n").replace("\r", "\n")

    return Run(code, text(out.getvalue()), text(err.getvalue()))


@pytest.fixture(scope="session")
def built_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The reference knowledge graph, built once with the reasoner, on disk."""
    path = tmp_path_factory.mktemp("built") / "store"
    summary = isgraph.build(store=path, reason=True)
    assert summary.consistency is not None and summary.consistency.ok
    return path


@pytest.fixture(scope="session")
def exported(built_store: Path, tmp_path_factory: pytest.TempPathFactory) -> ox.Store:
    """What ``isgraph export`` writes (N-Quads), read back into a fresh store."""
    out = tmp_path_factory.mktemp("export") / "kg.nq"
    result = run_cli("export", "--store", built_store, "--output", out)
    assert result.code == 0, result.stderr
    store = ox.Store()
    store.load(path=str(out), format=ox.RdfFormat.N_QUADS)
    return store


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A writable copy of the reference data folder."""
    target = tmp_path / "data"
    shutil.copytree(ROOT / "data", target)
    return target


def dump_nquads(store_path: Path) -> bytes:
    """The store's content as sorted N-Quads (read in this process, then released)."""
    with isgraph.open_store(store_path, create=False) as store:
        return b"\n".join(sorted(ox.serialize(store.quads(), format=ox.RdfFormat.N_QUADS).splitlines()))


@pytest.fixture(scope="session")
def catalogue_store(built_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The reference knowledge graph plus the invented cases of fixtures/catalogue, ingested."""
    path = tmp_path_factory.mktemp("catalogue") / "store"
    shutil.copytree(built_store, path)
    result = run_cli(
        "ingest",
        "--store",
        path,
        "--submitter",
        "Test Steward",
        *sorted(p for p in (FIXTURES / "catalogue").iterdir() if p.suffix in (".yaml", ".ttl")),
    )
    assert result.code == 0, result.stderr
    classified = run_cli("classify", "--store", path, "--method", "sparql")
    assert classified.code == 0, classified.stderr
    return path


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_until_up(url: str, process: subprocess.Popen, what: str) -> None:  # type: ignore[type-arg]
    import time
    import urllib.error
    import urllib.request

    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(url, timeout=1).read()
            return
        except urllib.error.HTTPError:
            return  # it answers
        except OSError:
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                raise RuntimeError(f"{what} did not start") from None
            time.sleep(0.1)


def start_oxigraph(location: Path) -> tuple[subprocess.Popen, str]:  # type: ignore[type-arg]
    """A real SPARQL 1.1 server (the oxigraph CLI) on 127.0.0.1; its query URL."""
    binary = shutil.which("oxigraph") or str(Path(sys.executable).with_name("oxigraph"))
    port = free_port()
    process = subprocess.Popen(
        [binary, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}", "--union-default-graph"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/query"
    wait_until_up(f"{url}?query=ASK%7B%7D", process, "the oxigraph server")
    return process, url


def start_isgraph_server(
    store: Path, *args: str, env: dict[str, str] | None = None, replica: bool = False
) -> tuple[subprocess.Popen, str]:  # type: ignore[type-arg]
    """``isgraph serve`` as a real process on 127.0.0.1; its base URL. The server's replica in
    memory is loaded only when ``replica`` is true (the fixtures that test reads through the
    replica: test_serve, test_web_views, test_browser, test_replica); the others answer from
    disk, which gives the same answers, and spare the suite the CPU of loading a replica per
    server (the territory reference alone is 349,409 quads)."""
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "isgraph.cli",
            "serve",
            "--store",
            str(store),
            "--port",
            str(port),
            *([] if replica else ["--no-replica"]),
            *args,
        ],
        env={**os.environ, "ISGRAPH_LANG": "en", **(env or {})},
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,  # a group of its own: stop() waits for its store's process too
    )
    base = f"http://127.0.0.1:{port}"
    wait_until_up(f"{base}/sparql?query=ASK%7B%7D", process, "isgraph serve")
    return process, base


@contextmanager
def server_with_token(folder: Path, token: str, source: Path | None, *args: str) -> Iterator[str]:
    """``isgraph serve`` on a copy of the store ``source`` (a new empty store if None), writes
    allowed with ``token``; its base URL, and the server stopped after."""
    store = folder / "store"
    if source is None:
        EmbeddedStore(store).close()
    else:
        shutil.copytree(source, store)
    (folder / "token").write_text(token, encoding="utf-8")
    process, base = start_isgraph_server(store, "--token-file", str(folder / "token"), *args)
    try:
        yield base
    finally:
        stop(process)


def stop(process: subprocess.Popen) -> None:  # type: ignore[type-arg]
    """Stop a server, and wait until every process of its group is gone: ``isgraph serve``
    keeps its store in a child process, which holds the store's lock until it exits (a
    server killed before its child closed the store left the lock held for a moment)."""
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    deadline = time.monotonic() + 30
    while _running_in_group(process.pid):
        if time.monotonic() > deadline:
            os.killpg(process.pid, signal.SIGKILL)
        time.sleep(0.05)


def _running_in_group(group: int) -> bool:
    """Whether a process of the group ``group`` still runs (a zombie holds no file, nor a lock)."""
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()  # state, parent, group, …
        if int(fields[2]) == group and fields[0] != "Z":
            return True
    return False


@pytest.fixture
def sparql_server(tmp_path: Path):  # type: ignore[no-untyped-def]
    """A real SPARQL 1.1 server (the oxigraph CLI) on 127.0.0.1, empty, stopped after the test."""
    process, url = start_oxigraph(tmp_path / "server")
    try:
        yield url
    finally:
        stop(process)
