"""Sign-in grants, refresh rotation, API clients and the admin endpoints."""

import base64
import uuid

import httpx
from gateway_support import ADMIN_PASSWORD, password_token


async def _user(
    gateway: httpx.AsyncClient, admin: dict[str, str], roles: list[str], **extra: object
) -> tuple[str, str]:
    username, password = f"u{uuid.uuid4().hex[:8]}", "a long enough password"
    response = await gateway.post(
        "/admin/users",
        json={"username": username, "password": password, "roles": roles, **extra},
        headers=admin,
    )
    assert response.status_code == 201, response.text
    return username, password


async def test_password_grant_issues_a_pair_and_me_shows_roles_and_permissions(
    gateway: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    username, password = await _user(gateway, admin_headers, ["sales"])
    pair = await password_token(gateway, username, password)
    assert pair["token_type"] == "bearer" and pair["refresh_token"]
    me = await gateway.get("/me", headers={"Authorization": f"Bearer {pair['access_token']}"})
    assert me.json()["roles"] == ["sales"]
    assert "orders:write" in me.json()["permissions"]
    assert "users:read" not in me.json()["permissions"]


async def test_wrong_password_is_an_invalid_grant_problem(gateway: httpx.AsyncClient) -> None:
    response = await gateway.post(
        "/auth/token", data={"grant_type": "password", "username": "admin", "password": "nope"}
    )
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["type"].endswith("/invalid-grant")


async def test_a_refresh_token_works_once_and_its_reuse_revokes_the_family(
    gateway: httpx.AsyncClient,
) -> None:
    first = await password_token(gateway, "admin", ADMIN_PASSWORD)

    async def refresh(token: str) -> httpx.Response:
        return await gateway.post(
            "/auth/token", data={"grant_type": "refresh_token", "refresh_token": token}
        )

    second = await refresh(first["refresh_token"])
    assert second.status_code == 200
    rotated = second.json()["refresh_token"]
    assert rotated != first["refresh_token"]
    assert (await refresh(first["refresh_token"])).status_code == 400  # replayed: stolen?
    assert (await refresh(rotated)).status_code == 400  # so the whole family is revoked


async def test_an_access_token_is_not_a_refresh_token(gateway: httpx.AsyncClient) -> None:
    pair = await password_token(gateway, "admin", ADMIN_PASSWORD)
    response = await gateway.post(
        "/auth/token", data={"grant_type": "refresh_token", "refresh_token": pair["access_token"]}
    )
    assert response.status_code == 400


async def test_demoting_a_user_ends_their_refresh_tokens(
    gateway: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    username, password = await _user(gateway, admin_headers, ["finance"])
    pair = await password_token(gateway, username, password)
    users = (await gateway.get("/admin/users", headers=admin_headers)).json()["items"]
    user_id = next(u["id"] for u in users if u["username"] == username)
    changed = await gateway.patch(
        f"/admin/users/{user_id}", json={"roles": ["warehouse"]}, headers=admin_headers
    )
    assert changed.status_code == 200 and changed.json()["roles"] == ["warehouse"]
    response = await gateway.post(
        "/auth/token", data={"grant_type": "refresh_token", "refresh_token": pair["refresh_token"]}
    )
    assert response.status_code == 400


async def test_client_credentials_by_form_and_basic_auth(
    gateway: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    created = await gateway.post(
        "/admin/clients",
        json={"client_id": "webshop", "name": "Web shop", "roles": ["sales"]},
        headers=admin_headers,
    )
    assert created.status_code == 201, created.text
    secret = created.json()["client_secret"]
    listed = (await gateway.get("/admin/clients", headers=admin_headers)).json()["items"]
    assert [c["client_id"] for c in listed] == ["webshop"] and "client_secret" not in listed[0]

    by_form = await gateway.post(
        "/auth/token",
        data={"grant_type": "client_credentials", "client_id": "webshop", "client_secret": secret},
    )
    assert by_form.status_code == 200, by_form.text
    assert by_form.json()["refresh_token"] is None
    basic = base64.b64encode(f"webshop:{secret}".encode()).decode()
    by_basic = await gateway.post(
        "/auth/token",
        data={"grant_type": "client_credentials"},
        headers={"Authorization": f"Basic {basic}"},
    )
    assert by_basic.status_code == 200
    me = await gateway.get(
        "/me", headers={"Authorization": f"Bearer {by_basic.json()['access_token']}"}
    )
    assert me.json()["username"] == "client:webshop" and me.json()["roles"] == ["sales"]

    wrong = await gateway.post(
        "/auth/token",
        data={"grant_type": "client_credentials", "client_id": "webshop", "client_secret": "x"},
    )
    assert wrong.status_code == 400

    rotated = await gateway.patch(
        f"/admin/clients/{created.json()['id']}",
        json={"rotate_secret": True},
        headers=admin_headers,
    )
    assert rotated.json()["client_secret"] not in (None, secret)
    stale = await gateway.post(
        "/auth/token",
        data={"grant_type": "client_credentials", "client_id": "webshop", "client_secret": secret},
    )
    assert stale.status_code == 400


async def test_customer_users_need_an_account_and_no_staff_role(
    gateway: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    body = {"username": "shopper", "password": "a long enough password"}
    no_account = await gateway.post(
        "/admin/users", json={**body, "roles": ["customer"]}, headers=admin_headers
    )
    assert no_account.status_code == 422
    mixed = await gateway.post(
        "/admin/users",
        json={**body, "roles": ["customer", "sales"], "account_id": str(uuid.uuid4())},
        headers=admin_headers,
    )
    assert mixed.status_code == 422
    unknown = await gateway.post(
        "/admin/users", json={**body, "roles": ["root"]}, headers=admin_headers
    )
    assert unknown.status_code == 422


async def test_roles_endpoint_lists_the_matrix(
    gateway: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    roles = (await gateway.get("/admin/roles", headers=admin_headers)).json()
    by_name = {r["role"]: set(r["permissions"]) for r in roles}
    assert "orders:write" not in by_name["customer"]
    assert {
        "admin",
        "sales",
        "service",
        "marketing",
        "finance",
        "warehouse",
        "purchasing",
        "customer",
    } == set(by_name)
