"""Access tokens: the claims the gateway signs and every service verifies for itself."""

import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Annotated, Any
from uuid import UUID, uuid4

import jwt
from cryptography.hazmat.primitives.serialization import load_pem_public_key
from fastapi import Depends, HTTPException, Request
from fastapi.security import OAuth2PasswordBearer

from contracts.access import Role, allows
from contracts.runtime.context import set_actor

ALGORITHM = "EdDSA"
AUDIENCE = "crmerp-api"
ISSUER = "crmerp-gateway"


@dataclass(frozen=True)
class Principal:
    """The caller, as the verified token describes them."""

    subject: str
    roles: tuple[str, ...]
    account_id: UUID | None = None  # set for customer tokens: the only account they may see
    token_id: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def is_customer(self) -> bool:
        return Role.CUSTOMER in self.roles and len(self.roles) == 1

    def may(self, permission: str) -> bool:
        return allows(self.roles, permission)


def issue_token(
    private_key: str,
    *,
    subject: str,
    roles: list[str],
    account_id: UUID | None = None,
    ttl: timedelta,
    token_type: str = "access",
    audience: str = AUDIENCE,
    token_id: str | None = None,
) -> str:
    now = datetime.now(UTC)
    claims: dict[str, Any] = {
        "iss": ISSUER,
        "aud": audience,
        "sub": subject,
        "roles": roles,
        "typ": token_type,
        "iat": now,
        "nbf": now,
        "exp": now + ttl,
        "jti": token_id or str(uuid4()),
    }
    if account_id:
        claims["account_id"] = str(account_id)
    return jwt.encode(claims, private_key, algorithm=ALGORITHM)


class InvalidToken(Exception):
    pass


@lru_cache(maxsize=16)
def _verifying_key(public_key_pem: str) -> Any:
    """The parsed key; PyJWT would otherwise parse the PEM text again for every token."""
    return load_pem_public_key(public_key_pem.encode())


_VERIFIED_CACHE_SIZE = 4096
_verified: OrderedDict[tuple[str, str, str], tuple[float, Principal]] = OrderedDict()


def verify_token(public_key: str, token: str, *, token_type: str = "access") -> Principal:
    """Check signature, algorithm, issuer, audience and expiry; return the principal.

    A client sends the same access token with every request until it expires, and a request
    through the gateway is checked there and again by the service it reaches.  So a token
    that verified is remembered (bounded, least recently used first out) until its own
    expiry; nothing else about a stateless token can change in the meantime.
    """
    key = (public_key, token, token_type)
    remembered = _verified.get(key)
    if remembered is not None and remembered[0] > time.time():
        _verified.move_to_end(key)
        return remembered[1]
    principal, expires = _verify(public_key, token, token_type)
    _verified[key] = (expires, principal)
    if len(_verified) > _VERIFIED_CACHE_SIZE:
        _verified.popitem(last=False)
    return principal


def _verify(public_key: str, token: str, token_type: str) -> tuple[Principal, float]:
    try:
        key = _verifying_key(public_key)
    except (ValueError, TypeError) as exc:  # no usable key configured: nothing verifies
        raise InvalidToken("this service has no usable verifying key") from exc
    try:
        claims = jwt.decode(
            token,
            key,
            algorithms=[ALGORITHM],  # never taken from the token: refuses "none" and HS tricks
            audience=AUDIENCE,
            issuer=ISSUER,
            options={"require": ["exp", "iat", "sub", "aud", "iss"]},
        )
    except jwt.PyJWTError as exc:
        raise InvalidToken(str(exc)) from exc
    if claims.get("typ") != token_type:
        raise InvalidToken(f"not an {token_type} token")
    account = claims.get("account_id")
    principal = Principal(
        subject=str(claims["sub"]),
        roles=tuple(str(r) for r in claims.get("roles", [])),
        account_id=UUID(account) if account else None,
        token_id=str(claims.get("jti", "")),
    )
    return principal, float(claims["exp"])


bearer = OAuth2PasswordBearer(tokenUrl="/auth/token", auto_error=False)


class Authenticator:
    """FastAPI dependencies that authenticate the caller and check the permission matrix.

    The verifying key is the app's ``state.jwt_public_key`` (set by the app factory from its
    settings), so each app instance verifies with its own configuration.
    """

    def principal(self) -> Callable[..., Awaitable[Principal]]:
        async def dependency(
            request: Request, token: Annotated[str | None, Depends(bearer)]
        ) -> Principal:
            if not token:
                raise HTTPException(
                    401, "A bearer token is required.", headers={"WWW-Authenticate": "Bearer"}
                )
            try:
                principal = verify_token(request.app.state.jwt_public_key, token)
            except InvalidToken as exc:
                raise HTTPException(
                    401, f"Invalid token: {exc}", headers={"WWW-Authenticate": "Bearer"}
                ) from exc
            set_actor(principal.subject)
            request.state.principal = principal
            return principal

        return dependency

    def require(self, permission: str) -> Callable[..., Awaitable[Principal]]:
        """A dependency granting access only to roles whose permissions include ``permission``."""
        authenticate = self.principal()

        async def dependency(
            principal: Annotated[Principal, Depends(authenticate)],
        ) -> Principal:
            if not principal.may(permission):
                raise HTTPException(403, f"Your roles do not grant {permission}.")
            return principal

        dependency.permission = permission  # type: ignore[attr-defined]  # read by matrix tests
        return dependency
