"""A Virtuoso server on 127.0.0.1 for the tests and the benchmarks: started on a fresh
database in a folder of its own, loaded with an N-Quads file by Virtuoso's bulk loader.

Debian's ``virtuoso-opensource-7-bin`` gives ``virtuoso-t`` and ``isql-vt``; ``.ci/run``
installs it. Its SPARQL endpoint reads the default graph as the union of every graph, as
isgraph expects; isgraph sends it URL-encoded POSTs (it never answers a direct POST).

    python tools/virtuoso.py FOLDER FILE.nq     # start, load, print the endpoint, wait for Ctrl-C
"""

from __future__ import annotations

import contextlib
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from types import TracebackType

INI = """[Database]
DatabaseFile = {db}/virtuoso.db
ErrorLogFile = {db}/virtuoso.log
LockFile = {db}/virtuoso.lck
TransactionFile = {db}/virtuoso.trx
xa_persistent_file = {db}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {db}/virtuoso-temp.db
TransactionFile = {db}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql}
NumberOfBuffers = {buffers}
MaxDirtyBuffers = {dirty}
DirsAllowed = ., {data}
CheckpointInterval = 60
ServerThreads = 10

[HTTPServer]
ServerPort = 127.0.0.1:{http}
MaxClientConnections = 10
ServerThreads = 10

[SPARQL]
ResultSetMaxRows = 100000000
MaxQueryExecutionTime = 1200
MaxQueryCostEstimationTime = 0
"""


def available() -> bool:
    """Whether Virtuoso is installed here."""
    return shutil.which("virtuoso-t") is not None and shutil.which("isql-vt") is not None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Virtuoso:
    """``with Virtuoso(folder) as server:`` a fresh Virtuoso on 127.0.0.1; ``server.endpoint``
    is its SPARQL endpoint. ``memory_gb`` sizes its buffers (Virtuoso's own guide: 85,000
    buffers a gigabyte)."""

    def __init__(self, folder: Path, *, memory_gb: float = 2.0) -> None:
        self.folder = folder
        self.data = folder / "data"
        self.http = free_port()
        self.sql = free_port()
        self.memory_gb = memory_gb
        self.endpoint = f"http://127.0.0.1:{self.http}/sparql"
        self.process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> Virtuoso:
        db = self.folder / "db"
        db.mkdir(parents=True, exist_ok=True)
        self.data.mkdir(parents=True, exist_ok=True)
        buffers = int(85_000 * self.memory_gb)
        ini = self.folder / "virtuoso.ini"
        ini.write_text(
            INI.format(db=db, data=self.data, sql=self.sql, http=self.http, buffers=buffers, dirty=buffers * 3 // 4),
            encoding="utf-8",
        )
        self.process = subprocess.Popen(
            ["virtuoso-t", "-f", "-c", str(ini)], cwd=db, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        deadline = time.monotonic() + 120
        while True:
            try:
                urllib.request.urlopen(f"{self.endpoint}?query=ASK%7B%7D", timeout=2).read()
                return self
            except (urllib.error.URLError, OSError):
                if time.monotonic() > deadline or self.process.poll() is not None:
                    self.__exit__(None, None, None)
                    raise RuntimeError(f"Virtuoso did not start (see {db / 'virtuoso.log'})") from None
                time.sleep(0.2)

    def isql(self, *statements: str) -> str:
        """Run SQL statements as the database administrator; their output."""
        script = "".join(f"{s.rstrip(';')};\n" for s in statements)
        done = subprocess.run(
            ["isql-vt", f"127.0.0.1:{self.sql}", "dba", "dba"],
            input=script,
            capture_output=True,
            text=True,
            timeout=3600,
            check=False,
        )
        if done.returncode != 0 or "*** Error" in done.stdout or "*** Error" in done.stderr:
            raise RuntimeError(f"isql failed: {done.stdout[-500:]} {done.stderr[-500:]}")
        return done.stdout

    def load(self, nquads: Path) -> float:
        """Bulk-load an N-Quads file (its named graphs kept); the seconds it took."""
        started = time.monotonic()
        target = self.data / nquads.name
        if target.resolve() != nquads.resolve():
            shutil.copyfile(nquads, target)
        self.isql(
            "DELETE FROM DB.DBA.load_list",
            f"ld_dir('{self.data}', '{nquads.name}', 'urn:isgraph:virtuoso:default')",
            "rdf_loader_run()",
            "checkpoint",
        )
        return time.monotonic() - started

    def allow_updates(self) -> None:
        """Let the endpoint's anonymous user run SPARQL updates (a server on 127.0.0.1 only)."""
        self.isql('GRANT SPARQL_UPDATE TO "SPARQL"')

    def restart(self) -> None:
        """Stop the server (after a checkpoint) and start it again on the same database."""
        self.isql("checkpoint")
        self._stop()
        self.__enter__()

    def _stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, trace: TracebackType | None) -> None:
        self._stop()


if __name__ == "__main__":
    folder, data = Path(sys.argv[1]), Path(sys.argv[2])
    with Virtuoso(folder) as server:
        print(f"loaded in {server.load(data):.1f} s; endpoint {server.endpoint}", flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            if server.process is not None:
                server.process.wait()
