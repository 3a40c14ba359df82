"""Backups of the platform's database, with the tools each database ships for the job.

SQLite: the online backup API (a consistent copy while the platform runs; WAL readers and
writers carry on). PostgreSQL: ``pg_dump --format=custom`` and ``pg_restore --clean
--single-transaction`` (a restore either replaces everything or changes nothing). The
password travels in ``PGPASSWORD``, never on a command line other users can read.
"""

import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import URL, make_url

from singlewindow.kit.db import is_sqlite

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_CUSTOM_MAGIC = b"PGDMP"
TOOL_TIMEOUT_SECONDS = 3600


class BackupError(RuntimeError):
    """A backup or restore that could not be done; the message says why and what to check."""


@dataclass(frozen=True, slots=True)
class Outcome:
    backend: str
    file: Path
    size: int


def _sqlite_path(url: URL) -> Path:
    if not url.database or url.database == ":memory:":
        raise BackupError("an in-memory SQLite database has nothing to back up")
    return Path(url.database)


def _libpq(url: URL) -> tuple[str, dict[str, str]]:
    """A libpq connection string without the password, and the environment that carries it."""
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    plain = url.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), env


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"{name} not found: install the PostgreSQL client of the server's major version")
    return found


def _run(args: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(args, env=env, capture_output=True, text=True, timeout=TOOL_TIMEOUT_SECONDS, check=False)  # noqa: S603 (fixed tool, arguments from settings)
    if result.returncode != 0:
        raise BackupError(f"{Path(args[0]).name} failed ({result.returncode}): {result.stderr.strip()[:2000]}")


def backup(database_url: str, file: Path) -> Outcome:
    """Write a consistent copy of the database to ``file`` (replaced if it exists)."""
    url = make_url(database_url)
    file.parent.mkdir(parents=True, exist_ok=True)
    if is_sqlite(database_url):
        source = sqlite3.connect(_sqlite_path(url))
        target = sqlite3.connect(file)
        try:
            source.backup(target)
        finally:
            target.close()
            source.close()
        return Outcome("sqlite", file, file.stat().st_size)
    dsn, env = _libpq(url)
    _run([_tool("pg_dump"), "--format=custom", "--no-owner", f"--file={file}", f"--dbname={dsn}"], env)
    return Outcome("postgresql", file, file.stat().st_size)


def restore(database_url: str, file: Path) -> Outcome:
    """Replace the database's content with the backup in ``file``; stop the platform's processes first."""
    if not file.is_file():
        raise BackupError(f"no backup file {file}")
    with file.open("rb") as handle:
        magic = handle.read(len(SQLITE_MAGIC))
    url = make_url(database_url)
    if is_sqlite(database_url):
        if not magic.startswith(SQLITE_MAGIC):
            raise BackupError(f"{file} is not a SQLite backup; SW_DATABASE_URL is a SQLite database")
        source = sqlite3.connect(file)
        target = sqlite3.connect(_sqlite_path(url))
        try:
            source.backup(target)
        finally:
            target.close()
            source.close()
        return Outcome("sqlite", file, file.stat().st_size)
    if not magic.startswith(PG_CUSTOM_MAGIC):
        raise BackupError(f"{file} is not a pg_dump custom-format backup; SW_DATABASE_URL is PostgreSQL")
    dsn, env = _libpq(url)
    _run(
        [
            _tool("pg_restore"),
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            "--exit-on-error",
            f"--dbname={dsn}",
            str(file),
        ],
        env,
    )
    return Outcome("postgresql", file, file.stat().st_size)
