"""A real PostgreSQL server for the tests, started as an unprivileged process.

The server lives in a temporary folder, listens on a Unix socket only (no TCP
port: the tests never touch the network) and trusts local connections. It runs
from Debian's `postgresql` package (`make test` installs it); where no server can
be installed or started, the PostgreSQL tests are skipped with the reason, unless
`ASSAY_REQUIRE_POSTGRES=1` (set by `make test` once the server is installed)
turns that into a failure.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import pwd
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REQUIRE_ENV = "ASSAY_REQUIRE_POSTGRES"
SUPERUSER = "assay"


class PostgresUnavailable(Exception):
    """No PostgreSQL server can run here; the message says why and how to fix it."""


def find_bindir() -> Path:
    """The folder holding `initdb` and `pg_ctl` (newest Debian version first).

    Raises:
        PostgresUnavailable: No PostgreSQL server binaries are installed.
    """
    candidates = [Path(os.environ["ASSAY_PG_BINDIR"])] if os.environ.get("ASSAY_PG_BINDIR") else []
    debian = sorted(
        Path("/usr/lib/postgresql").glob("*/bin"),
        key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0,
        reverse=True,
    )
    candidates += debian
    on_path = shutil.which("initdb")
    if on_path:
        candidates.append(Path(on_path).parent)
    for folder in candidates:
        if (folder / "initdb").is_file() and (folder / "pg_ctl").is_file():
            return folder
    raise PostgresUnavailable(
        "PostgreSQL server not installed (no initdb under /usr/lib/postgresql/*/bin or on "
        "PATH); `make test` installs Debian's postgresql package, or run "
        "`apt-get install postgresql`"
    )


def _server_user() -> pwd.struct_passwd | None:
    """The unprivileged account to run the server as (None: run as ourselves)."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):  # initdb refuses to run as root
        with contextlib.suppress(KeyError):
            return pwd.getpwnam(name)
    raise PostgresUnavailable("running as root and neither a postgres nor a nobody account exists")


@dataclass
class PostgresServer:
    """A running server: its folder, and the databases made for the tests."""

    bindir: Path
    folder: Path
    user: pwd.struct_passwd | None
    started_in_s: float = 0.0
    _names: Any = field(default_factory=lambda: itertools.count(1))

    @property
    def socket_dir(self) -> str:
        """The folder holding the server's Unix socket."""
        return str(self.folder)

    def url(self, database: str) -> str:
        """The SQLAlchemy URL of `database` on this server (Unix socket)."""
        return f"postgresql+psycopg://{SUPERUSER}@/{database}?host={self.socket_dir}"

    def admin(self, sql: str) -> None:
        """Run one statement outside a transaction on the `postgres` database."""
        import psycopg

        with psycopg.connect(
            host=self.socket_dir, user=SUPERUSER, dbname="postgres", autocommit=True
        ) as conn:
            conn.execute(sql)  # type: ignore[arg-type]

    def create_database(self) -> str:
        """A new empty database; returns its name."""
        name = f"test_{next(self._names)}"
        self.admin(f"CREATE DATABASE {name}")
        return name

    def drop_database(self, name: str) -> None:
        """Drop `name`, closing any connection a test left open."""
        self.admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")

    def _run(self, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
        kwargs: dict[str, Any] = {}
        if self.user is not None:
            kwargs = {"user": self.user.pw_uid, "group": self.user.pw_gid, "extra_groups": []}
        return subprocess.run(
            [str(self.bindir / args[0]), *args[1:]],
            capture_output=True,
            text=True,
            cwd=self.folder,
            env={"PATH": os.environ.get("PATH", ""), "HOME": str(self.folder), "LC_ALL": "C"},
            timeout=timeout,
            check=False,
            **kwargs,
        )

    def start(self) -> None:
        """initdb, then start the server and wait until it accepts connections.

        Raises:
            PostgresUnavailable: initdb or the server failed (with its log).
        """
        began = time.perf_counter()
        data = str(self.folder / "data")
        init = self._run(
            "initdb", "-D", data, "-U", SUPERUSER, "--auth=trust", "-E", "UTF8", "--no-sync"
        )
        if init.returncode != 0:
            raise PostgresUnavailable(f"initdb failed: {(init.stderr or init.stdout)[-2000:]}")
        options = (
            f"-c listen_addresses='' -k {self.socket_dir} -c max_connections=200 "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        log = str(self.folder / "server.log")
        start = self._run("pg_ctl", "-D", data, "-l", log, "-o", options, "-w", "-t", "60", "start")
        if start.returncode != 0:
            tail = Path(log).read_text(errors="replace")[-2000:] if Path(log).exists() else ""
            raise PostgresUnavailable(f"the server did not start: {start.stdout}{tail}")
        self.started_in_s = time.perf_counter() - began

    def stop(self) -> None:
        """Stop the server and remove its folder."""
        if (self.folder / "data" / "postmaster.pid").exists():
            self._run("pg_ctl", "-D", str(self.folder / "data"), "-m", "immediate", "stop")
        shutil.rmtree(self.folder, ignore_errors=True)


def start_server() -> PostgresServer:
    """Start a fresh server in a new temporary folder.

    Raises:
        PostgresUnavailable: The server cannot be installed, run or started here.
    """
    try:
        import psycopg  # noqa: F401
    except ImportError:
        raise PostgresUnavailable(
            "psycopg not installed: pip install -e '.[postgres]' (make test does)"
        ) from None
    bindir = find_bindir()
    user = _server_user()
    # A short path: a Unix socket's path is limited to about 100 characters.
    folder = Path(
        tempfile.mkdtemp(prefix="assay-pg-", dir="/tmp" if Path("/tmp").is_dir() else None)
    )
    if user is not None:
        os.chown(folder, user.pw_uid, user.pw_gid)
    server = PostgresServer(bindir=bindir, folder=folder, user=user)
    try:
        server.start()
    except BaseException:
        server.stop()
        raise
    return server


def required() -> bool:
    """Whether a missing server fails the tests instead of skipping them."""
    return os.environ.get(REQUIRE_ENV, "") not in ("", "0")
