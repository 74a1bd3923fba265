"""Run Virtuoso Open Source 7 (Debian `virtuoso-opensource-7-bin`) headless on loopback.

A fresh database in a temporary folder, a small ini written here, the DBA password set by the
caller, and `GRANT SPARQL_UPDATE TO "SPARQL"` so anonymous SPARQL Update works on /sparql.
Authenticated access uses /sparql-auth (Digest). Creating the database takes ~10-15 s.
"""
from __future__ import annotations

import contextlib
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from tests.servers.oxigraph import free_port, wait_for

VIRTUOSO = "virtuoso-t"
ISQL = "isql-vt"
PACKAGE = "virtuoso-opensource-7-bin"

INI = """\
[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
MaxClientConnections = 10
CheckpointInterval = 60
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
DirsAllowed = ., {dir}
ThreadsPerQuery = 2

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {dir}/www
MaxClientConnections = 5
ServerThreads = 5

[SPARQL]
ResultSetMaxRows = 100000
MaxQueryExecutionTime = 120
"""


def virtuoso_available() -> bool:
    return shutil.which(VIRTUOSO) is not None and shutil.which(ISQL) is not None


@dataclass
class VirtuosoServer:
    base: str
    sql_port: int
    password: str

    @property
    def sparql_url(self) -> str:
        return f"{self.base}/sparql"

    @property
    def sparql_auth_url(self) -> str:
        return f"{self.base}/sparql-auth"

    @property
    def gsp_url(self) -> str:
        return f"{self.base}/sparql-graph-crud"

    def isql(self, sql: str, password: str | None = None) -> str:
        """Run SQL statements through isql as dba; raise with the output on an error."""
        result = subprocess.run([ISQL, f"127.0.0.1:{self.sql_port}", "dba", password or self.password],
                                input=sql, capture_output=True, text=True, timeout=60)
        if "*** Error" in result.stdout or result.returncode != 0:
            raise RuntimeError(f"isql failed: {result.stdout[-500:]} {result.stderr[-500:]}")
        return result.stdout


@contextlib.contextmanager
def virtuoso_server(folder: Path, password: str) -> Iterator[VirtuosoServer]:
    """A fresh Virtuoso in `folder`, DBA password `password`, anonymous SPARQL Update granted."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "www").mkdir(exist_ok=True)
    sql_port, http_port = free_port(), free_port()
    (folder / "virtuoso.ini").write_text(INI.format(dir=folder, sql_port=sql_port, http_port=http_port))
    log = open(folder / "stdout.log", "wb")
    process = subprocess.Popen([VIRTUOSO, "+configfile", str(folder / "virtuoso.ini"), "+foreground"],
                               cwd=folder, stdout=log, stderr=subprocess.STDOUT)
    try:
        base = f"http://127.0.0.1:{http_port}"
        wait_for(f"{base}/sparql?query=ASK%7B%7D", process, seconds=120)
        server = VirtuosoServer(base, sql_port, password)
        # A new database has the well-known password "dba": replace it first.
        server.isql(f"USER_SET_PASSWORD('dba', '{password}');\n", password="dba")
        server.isql('GRANT SPARQL_UPDATE TO "SPARQL";\n')
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()
