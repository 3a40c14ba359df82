"""``singlewindow db backup`` / ``db restore`` on both databases: what was backed up comes back, whole."""

from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import func, select, text
from support.cli import Invoke
from support.documents import import_declaration
from support.exchange import fetch, submit

from singlewindow.app import Platform
from singlewindow.declarations.models import Declaration
from singlewindow.settings import Settings


async def declarations(platform: Platform) -> int:
    async with platform.sessions() as session:
        return await session.scalar(select(func.count()).select_from(Declaration)) or 0


async def test_a_restore_brings_back_the_backed_up_state(
    cli: Invoke,
    platform: Platform,
    client: httpx.AsyncClient,
    trader: dict[str, str],
    run: Any,
    tmp_path: Path,
    settings: Settings,
) -> None:
    kept = await submit(client, trader, import_declaration(reference="KEPT-1"))
    await run()
    backup_file = tmp_path / "sw.backup"
    await platform.engine.dispose()  # the restore replaces tables: no pooled connection may hold them

    result = await cli("db", "backup", str(backup_file))
    backend = "sqlite" if settings.database_url.startswith("sqlite") else "postgresql"
    assert result.output.startswith(f"{backend} database backed up to {backup_file}")
    assert backup_file.stat().st_size > 0

    lost = await submit(client, trader, import_declaration(reference="AFTER-BACKUP"))
    async with platform.sessions() as session:
        await session.execute(text("UPDATE declarations SET status = 'cancelled'"))
        await session.commit()
    await platform.engine.dispose()

    result = await cli("db", "restore", str(backup_file))
    assert f"{backend} database restored from {backup_file}" in result.output

    assert (await fetch(client, trader, kept["id"]))["status"] == "released"
    assert (await client.get(f"/api/v1/declarations/{lost['id']}", headers=trader)).status_code == 404
    assert await declarations(platform) == 1
    verified = await cli("audit", "verify")
    assert "audit chain intact" in verified.output


async def test_a_backup_of_the_other_database_is_refused(cli: Invoke, tmp_path: Path, settings: Settings) -> None:
    wrong = tmp_path / "wrong.backup"
    wrong.write_bytes(b"PGDMP" if settings.database_url.startswith("sqlite") else b"SQLite format 3\x00")
    result = await cli("db", "restore", str(wrong), exit_code=1)
    assert "restore failed" in result.output
    assert "is not a" in result.output
