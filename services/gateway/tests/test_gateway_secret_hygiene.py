"""Secrets never reach the logs; an oversized body, or a NUL character, is refused before it
reaches a service or a database."""

import logging

import httpx
import pytest
from gateway_support import ADMIN_PASSWORD, GatewayFactory, password_token

from devstack.hostile import assert_refused, row_counts
from devstack.testing import SigningKeys


def logged_text(records: list[logging.LogRecord]) -> str:
    """Everything a handler could write: messages, arguments, extras, tracebacks."""
    parts = []
    for record in records:
        parts.append(record.getMessage())
        parts.extend(repr(value) for value in vars(record).values())
    return "\n".join(parts)


async def test_passwords_tokens_keys_and_client_secrets_are_never_logged(
    gateway_factory: GatewayFactory,
    gateway_keys: SigningKeys,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    gateway = await gateway_factory()
    pair = await password_token(gateway, "admin", ADMIN_PASSWORD)
    wrong = await gateway.post(
        "/auth/token",
        data={"grant_type": "password", "username": "admin", "password": ADMIN_PASSWORD + "x"},
    )
    assert wrong.status_code == 400
    staff = {"Authorization": f"Bearer {pair['access_token']}"}
    client = await gateway.post(
        "/admin/clients",
        json={"client_id": "webshop", "name": "Web shop", "roles": ["sales"]},
        headers=staff,
    )
    assert client.status_code == 201, client.text
    secret = client.json()["client_secret"]
    machine = await gateway.post(
        "/auth/token",
        data={"grant_type": "client_credentials", "client_id": "webshop", "client_secret": secret},
    )
    assert machine.status_code == 200, machine.text
    machine_token = machine.json()["access_token"]
    for headers in (staff, {"Authorization": f"Bearer {machine_token}"}):
        assert (await gateway.get("/api/accounts", headers=headers)).status_code == 200
        assert (await gateway.get("/api/warehouses", headers=headers)).status_code in (200, 403)
        assert (await gateway.get("/api/nothing", headers=headers)).status_code == 404
    refreshed = await gateway.post(
        "/auth/token", data={"grant_type": "refresh_token", "refresh_token": pair["refresh_token"]}
    )
    assert refreshed.status_code == 200

    text = logged_text(caplog.records)
    assert "request" in text, "nothing was logged, so nothing was checked"
    key_body = "".join(gateway_keys.private_pem.strip().splitlines()[1:-1])
    secrets = {
        "the password": ADMIN_PASSWORD,
        "the access token": pair["access_token"],
        "the access token's signature": pair["access_token"].rsplit(".", 1)[1],
        "the refresh token": pair["refresh_token"],
        "the client's token": machine_token,
        "the client secret": secret,
        "the signing key": key_body,
    }
    for name, value in secrets.items():
        assert value not in text, f"{name} was logged"
    for line in gateway_keys.private_pem.splitlines()[1:-1]:
        assert line not in text, "part of the signing key was logged"


async def test_a_body_over_the_default_limit_is_413_and_reaches_no_service(
    gateway: httpx.AsyncClient, gateway_keys: SigningKeys
) -> None:
    crm = gateway.crm.app  # type: ignore[attr-defined]
    before = await row_counts(crm, ("accounts", "outbox", "audit_log"))
    name = "x" * 2_000_000  # the default limit is one megabyte
    response = await gateway.post(
        "/api/accounts", json={"name": name}, headers=gateway_keys.headers("admin")
    )
    assert_refused(response, 413)
    assert await row_counts(crm, ("accounts", "outbox", "audit_log")) == before


async def test_a_nul_character_in_a_login_or_a_forwarded_body_is_a_422_problem(
    gateway: httpx.AsyncClient, gateway_keys: SigningKeys
) -> None:
    crm = gateway.crm.app  # type: ignore[attr-defined]
    before = await row_counts(crm, ("accounts", "outbox", "audit_log"))
    login = await gateway.post(
        "/auth/token",
        data={"grant_type": "password", "username": "ad\u0000min", "password": ADMIN_PASSWORD},
    )
    assert_refused(login, 422)
    forwarded = await gateway.post(
        "/api/accounts", json={"name": "Evil\u0000Corp"}, headers=gateway_keys.headers("admin")
    )
    assert_refused(forwarded, 422)
    assert await row_counts(crm, ("accounts", "outbox", "audit_log")) == before
