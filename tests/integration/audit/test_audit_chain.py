"""The audit log is hash-chained after the fact: any edited or deleted record is found by ``audit verify``."""

import asyncio
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select, text
from support.cli import Invoke
from support.documents import import_declaration
from support.exchange import submit

from singlewindow.app import Platform
from singlewindow.audit import service as audit
from singlewindow.audit.models import AuditRecord
from singlewindow.audit.worker import seal_all


@pytest.fixture
async def activity(client: httpx.AsyncClient, trader: dict[str, str], run: Any) -> None:
    """Sign-ins, a submission, agencies' decisions: the security-relevant actions of a normal day."""
    await submit(client, trader, import_declaration())
    await submit(client, trader, import_declaration(reference="AUDIT-2"))
    await run()


async def records(platform: Platform) -> list[AuditRecord]:
    async with platform.sessions() as session:
        return list(await session.scalars(select(AuditRecord).order_by(AuditRecord.id)))


async def execute(platform: Platform, sql: str, **params: Any) -> None:
    async with platform.sessions() as session:
        await session.execute(text(sql), params)
        await session.commit()


@pytest.mark.usefixtures("activity")
async def test_an_untouched_log_verifies(cli: Invoke, platform: Platform) -> None:
    result = await cli("audit", "verify")
    written = await records(platform)
    assert {"auth.login", "declaration.submitted"} <= {r.action for r in written}
    assert f"{len(written)} record(s) in the chain, 0 not yet sealed" in result.output
    assert "audit chain intact" in result.output
    assert [r.seq for r in written] == list(range(1, len(written) + 1))


@pytest.mark.usefixtures("activity")
async def test_an_edited_record_is_named(cli: Invoke, platform: Platform) -> None:
    await cli("audit", "verify")
    victim = next(r for r in await records(platform) if r.action == "declaration.submitted")
    await execute(
        platform, "UPDATE audit_records SET actor = :actor WHERE id = :id", actor="someone-else", id=victim.id
    )
    result = await cli("audit", "verify", exit_code=1)
    assert f"TAMPERED: record id={victim.id} (seq {victim.seq}, declaration.submitted) was altered" in result.output


@pytest.mark.usefixtures("activity")
async def test_edited_detail_is_found_too(cli: Invoke, platform: Platform) -> None:
    await cli("audit", "verify")
    victim = (await records(platform))[-1]
    await execute(platform, "UPDATE audit_records SET detail = '{\"forged\": true}' WHERE id = :id", id=victim.id)
    result = await cli("audit", "verify", exit_code=1)
    assert f"record id={victim.id} " in result.output


@pytest.mark.usefixtures("activity")
async def test_a_deleted_record_leaves_a_gap(cli: Invoke, platform: Platform) -> None:
    await cli("audit", "verify")
    victim = (await records(platform))[2]
    await execute(platform, "DELETE FROM audit_records WHERE id = :id", id=victim.id)
    result = await cli("audit", "verify", exit_code=1)
    assert f"records with seq {victim.seq}..{victim.seq} are missing (deleted)" in result.output


@pytest.mark.usefixtures("activity")
async def test_deleting_the_newest_records_is_found_by_the_seal(cli: Invoke, platform: Platform) -> None:
    await cli("audit", "verify")
    newest = (await records(platform))[-1]
    await execute(platform, "DELETE FROM audit_records WHERE id = :id", id=newest.id)
    result = await cli("audit", "verify", exit_code=1)
    assert f"but was sealed up to seq {newest.seq} (deleted)" in result.output


@pytest.mark.usefixtures("activity")
async def test_records_written_after_a_seal_join_the_chain(
    cli: Invoke, platform: Platform, client: httpx.AsyncClient, trader: dict[str, str]
) -> None:
    await cli("audit", "verify")
    await submit(client, trader, import_declaration(reference="LATER-1"))
    async with platform.sessions() as session:
        assert (await audit.verify(session)).unsealed > 0
    result = await cli("audit", "verify")
    assert "0 not yet sealed" in result.output


@pytest.mark.usefixtures("activity")
async def test_sealers_running_at_once_make_one_chain(platform: Platform) -> None:
    assert sum(await asyncio.gather(*(seal_all(platform.sessions) for _ in range(4)))) == len(await records(platform))
    async with platform.sessions() as session:
        report = await audit.verify(session)
        sealed = await session.scalar(select(func.count()).where(AuditRecord.seq.is_not(None)))
    assert report.intact, report.problems
    assert report.sealed == sealed == len(await records(platform))


@pytest.mark.usefixtures("activity")
async def test_an_auditor_verifies_over_the_api_and_sees_an_edit(
    client: httpx.AsyncClient, operator: dict[str, str], trader: dict[str, str], platform: Platform
) -> None:
    assert (await client.post("/api/v1/audit/verification", headers=trader)).status_code == 403
    clean = await client.post("/api/v1/audit/verification", headers=operator)
    assert clean.status_code == 200, clean.text
    assert (clean.json()["intact"], clean.json()["unsealed"], clean.json()["problems"]) == (True, 0, [])
    victim = next(r for r in await records(platform) if r.action == "declaration.submitted")
    await execute(platform, "UPDATE audit_records SET subject = 'x' WHERE id = :id", id=victim.id)
    tampered = (await client.post("/api/v1/audit/verification", headers=operator)).json()
    assert tampered["intact"] is False
    assert f"record id={victim.id}" in tampered["problems"][0]
    assert "audit.verified" in {r.action for r in await records(platform)}
