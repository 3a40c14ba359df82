"""Signing keys, JWKS and tokens: what a peer deployment needs to verify ours."""

import uuid
from pathlib import Path

import jwt
import pyotp
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from pydantic import SecretStr

from singlewindow.errors import Unauthorized
from singlewindow.identity import keys, totp
from singlewindow.identity.credentials import issue_token, unverified_issuer, verify_token
from singlewindow.identity.models import PartyKind
from singlewindow.identity.principal import Principal
from singlewindow.settings import Settings

ISSUER = "https://sw.example.cn"
TRADER = Principal(uuid.uuid4(), PartyKind.ENTERPRISE, frozenset({"admin"}), user_id=uuid.uuid4())


def test_the_key_is_made_once_in_the_data_directory_and_kept(tmp_path: Path) -> None:
    first = keys.load(Settings(data_dir=tmp_path))
    assert (tmp_path / keys.KEY_FILE).stat().st_mode & 0o777 == 0o600
    assert keys.load(Settings(data_dir=tmp_path)).kid == first.kid


def test_a_configured_key_wins_and_must_be_ed25519(tmp_path: Path) -> None:
    pem = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    configured = keys.load(Settings(data_dir=tmp_path, signing_key=SecretStr(pem.decode())))
    assert not (tmp_path / keys.KEY_FILE).exists()
    assert configured.jwk()["kid"] == configured.kid
    p256 = ec.generate_private_key(ec.SECP256R1()).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    with pytest.raises(ValueError, match="Ed25519"):
        keys.load(Settings(data_dir=tmp_path, signing_key=SecretStr(p256.decode())))


def test_a_token_verifies_with_the_published_jwk_only(tmp_path: Path) -> None:
    key = keys.load(Settings(data_dir=tmp_path))
    token = issue_token(TRADER, key, issuer=ISSUER, ttl_seconds=60, version=3, uscc="91310000MA1FL8TQ36")
    assert unverified_issuer(token) == (ISSUER, key.kid)
    published = jwt.PyJWK(keys.jwks(key)["keys"][0]).key
    claims = verify_token(token, published, ISSUER)
    assert (claims["sub"], claims["ver"], claims["uscc"]) == (str(TRADER.user_id), 3, "91310000MA1FL8TQ36")
    other = keys.load(Settings(data_dir=tmp_path / "other"))
    with pytest.raises(Unauthorized, match="invalid token"):
        verify_token(token, other.public, ISSUER)
    with pytest.raises(Unauthorized, match="issuer"):
        verify_token(token, key.public, "https://someone-else.example")


def test_an_expired_token_is_refused(tmp_path: Path) -> None:
    key = keys.load(Settings(data_dir=tmp_path))
    token = issue_token(TRADER, key, issuer=ISSUER, ttl_seconds=-120)
    with pytest.raises(Unauthorized, match="expired"):
        verify_token(token, key.public, ISSUER)


def test_totp_accepts_the_current_code_and_nothing_without_a_secret() -> None:
    secret = totp.new_secret()
    assert totp.verify(secret, pyotp.TOTP(secret).now())
    assert not totp.verify(None, "123456")
    assert totp.uri(secret, "demo-trader").startswith("otpauth://totp/Single%20Window:demo-trader")
