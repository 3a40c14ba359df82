"""``singlewindow identity``: the deployment's published key, the mail log, lockouts,
session revocation and qualifications, from a shell with the database's credentials."""

import json
from typing import Annotated, Any

import typer

from singlewindow.identity import keys, service
from singlewindow.kit.commands import run_in_session
from singlewindow.settings import get_settings

app = typer.Typer(help="Enterprises, users, keys and federation trust.", no_args_is_help=True)
ACTOR = "cli:operator"


def _print(value: Any) -> None:
    typer.echo(json.dumps(value, ensure_ascii=False, indent=2, default=str))


@app.command("jwks")
def jwks() -> None:
    """The public key peers verify this deployment's tokens with (what /.well-known/jwks.json serves)."""
    _print(keys.jwks(keys.load(get_settings())))


@app.command("trust")
def trust() -> None:
    """The peer deployments whose tokens are accepted here (SW_TRUSTED_ISSUERS) and the revocation bound."""
    settings = get_settings()
    _print(
        {
            "issuer": settings.public_url,
            "trusted": settings.trusted_issuers,
            "cache_seconds": settings.federation_cache_seconds,
        }
    )


@app.command("mail")
def mail(
    to: Annotated[str | None, typer.Option(help="Only mail to this address")] = None,
    limit: Annotated[int, typer.Option(min=1, max=1000)] = 20,
) -> None:
    """Mail the platform sent (verification links), newest first."""
    for message in run_in_session(lambda s: service.mail(s, to, limit)):
        typer.echo(f"--- {message.created_at:%Y-%m-%d %H:%M:%S}  to {message.to}: {message.subject}\n{message.body}")


@app.command("unlock")
def unlock(username: str) -> None:
    """Lift a user's lockout after repeated failed sign-ins."""
    user = run_in_session(lambda s: service.unlock(s, username, actor=ACTOR), commit=True)
    typer.echo(f"unlocked {user.username}")


@app.command("revoke-sessions")
def revoke_sessions(username: str) -> None:
    """Every token the user holds stops working (peers follow within SW_FEDERATION_CACHE_SECONDS)."""
    user = run_in_session(lambda s: service.revoke_all_sessions(s, username, actor=ACTOR), commit=True)
    typer.echo(f"revoked the sessions of {user.username} (token version {user.token_version})")
