"""FastAPI dependencies shared by the gateway's routers."""

from functools import lru_cache

from cryptography.hazmat.primitives import serialization
from fastapi import Request
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from contracts.http.auth import Authenticator
from gateway.settings import Settings


@lru_cache
def settings() -> Settings:
    return Settings()


def public_key_of(private_key_pem: str) -> str:
    """The verifying half of the gateway's signing key."""
    private = serialization.load_pem_private_key(private_key_pem.encode(), None)
    return (
        private.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )


auth = Authenticator()
require = auth.require


def sessions(request: Request) -> async_sessionmaker[AsyncSession]:
    return request.app.state.sessions  # type: ignore[no-any-return]
