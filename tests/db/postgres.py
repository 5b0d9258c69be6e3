"""A throwaway PostgreSQL cluster (Debian's binaries) on a Unix socket in a temporary folder.

PostgreSQL refuses to run as root, so under root the cluster belongs to a system user
``portaltest`` (created once with ``useradd``) and every server command goes through
``runuser``. Clients connect over the socket only; nothing listens on TCP.
"""
from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path

CLUSTER_USER = "portaltest"


def _bin(name: str) -> str:
    """Debian keeps the server binaries out of PATH, in /usr/lib/postgresql/<major>/bin."""
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), key=lambda p: int(p.split("/")[4]))
    found = candidates[-1] if candidates else shutil.which(name)
    if not found:
        raise FileNotFoundError(f"{name} not found: install Debian's postgresql package (apt-get install -y postgresql)")
    return found


def _as_cluster_user(argv: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return argv
    try:
        pwd.getpwnam(CLUSTER_USER)
    except KeyError:
        subprocess.run(["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", CLUSTER_USER], check=True)
    return ["runuser", "-u", CLUSTER_USER, "--", *argv]


@dataclass
class PsqlResult:
    returncode: int
    stdout: str
    stderr: str

    @property
    def ok(self) -> bool:
        return self.returncode == 0


@dataclass
class Postgres:
    directory: Path
    socket_dir: Path = field(init=False)
    superuser: str = field(init=False)
    _copy_lock: threading.Lock = field(default_factory=threading.Lock, init=False)
    _owned: bool = field(default=False, init=False)

    def __post_init__(self) -> None:
        self.socket_dir = self.directory / "socket"
        self.superuser = CLUSTER_USER if os.geteuid() == 0 else pwd.getpwuid(os.geteuid()).pw_name

    def start(self) -> Postgres:
        if os.geteuid() == 0:
            # pytest's temporary folders are private to root; the cluster user needs its own.
            _as_cluster_user(["true"])  # creates the user if needed
            self.directory = Path(tempfile.mkdtemp(prefix="portal-postgres-"))
            self.socket_dir = self.directory / "socket"
            self._owned = True
        data = self.directory / "data"
        self.socket_dir.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            os.chmod(self.directory, 0o755)
            shutil.chown(self.directory, CLUSTER_USER)
            shutil.chown(self.socket_dir, CLUSTER_USER)
        self._server(_bin("initdb"), "-D", str(data), "-U", self.superuser, "--auth=trust",
                     "--no-sync", "-E", "UTF8", "--locale=C")
        options = (f"-c listen_addresses='' -c unix_socket_directories='{self.socket_dir}' -c fsync=off "
                   "-c synchronous_commit=off -c full_page_writes=off -c max_connections=60 "
                   "-c shared_preload_libraries=pg_stat_statements")
        self._server(_bin("pg_ctl"), "-D", str(data), "-l", str(self.directory / "server.log"),
                     "-o", options, "-w", "-t", "60", "start")
        return self

    def _server(self, *argv: str) -> None:
        done = subprocess.run(_as_cluster_user(list(argv)), capture_output=True, text=True)
        if done.returncode != 0:
            log = self.directory / "server.log"
            raise RuntimeError(f"{' '.join(argv[:1])} failed: {done.stdout}{done.stderr}"
                               + (log.read_text() if log.exists() else ""))

    def stop(self) -> None:
        subprocess.run(_as_cluster_user([_bin("pg_ctl"), "-D", str(self.directory / "data"), "-m", "immediate", "-w", "stop"]),
                       capture_output=True, text=True)
        if self._owned:
            shutil.rmtree(self.directory, ignore_errors=True)

    def psql(self, sql: str, database: str, user: str | None = None, *options: str) -> PsqlResult:
        """Feed ``sql`` to psql on stdin, as a page's reader would paste it, stopping at the first error."""
        argv = [_bin("psql"), "-X", "-h", str(self.socket_dir), "-U", user or self.superuser, "-d", database,
                "-v", "ON_ERROR_STOP=1", "--pset=pager=off", "-f", "-", *options]
        env = {**os.environ, "PGTZ": "UTC", "PGCLIENTENCODING": "UTF8", "PSQL_PAGER": "", "PAGER": ""}
        done = subprocess.run(argv, input=sql, capture_output=True, text=True, env=env, timeout=60)
        return PsqlResult(done.returncode, done.stdout, done.stderr)

    def admin(self, sql: str, database: str = "postgres") -> str:
        result = self.psql(sql, database, None, "-q")
        if not result.ok:
            raise RuntimeError(f"setup SQL failed in {database}: {result.stderr}")
        return result.stdout

    def copy_database(self, template: str, name: str) -> None:
        # CREATE DATABASE needs the template to itself: copies are made one at a time.
        with self._copy_lock:
            self.admin(f'CREATE DATABASE "{name}" TEMPLATE "{template}" STRATEGY FILE_COPY;')

    def drop_database(self, name: str) -> None:
        self.admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE);')
