"""A verified token is remembered only for its own key and only until it expires."""

import time
from datetime import timedelta

import pytest

from contracts.http.auth import InvalidToken, issue_token, verify_token
from devstack.testing import SigningKeys


def test_a_remembered_token_is_refused_once_it_expires() -> None:
    keys = SigningKeys()
    token = issue_token(keys.private_pem, subject="ana", roles=["sales"], ttl=timedelta(seconds=1))
    assert verify_token(keys.public_pem, token).subject == "ana"
    assert verify_token(keys.public_pem, token).subject == "ana"  # answered from memory
    time.sleep(1.1)  # let the token's own expiry pass
    with pytest.raises(InvalidToken):
        verify_token(keys.public_pem, token)


def test_a_token_verified_with_one_key_is_not_accepted_for_another() -> None:
    ours, theirs = SigningKeys(), SigningKeys()
    token = ours.token("admin")
    assert verify_token(ours.public_pem, token).roles == ("admin",)
    with pytest.raises(InvalidToken):
        verify_token(theirs.public_pem, token)


def test_a_refresh_token_is_not_accepted_as_an_access_token_even_after_verifying() -> None:
    keys = SigningKeys()
    refresh = issue_token(
        keys.private_pem,
        subject="ana",
        roles=["sales"],
        ttl=timedelta(hours=1),
        token_type="refresh",
    )
    assert verify_token(keys.public_pem, refresh, token_type="refresh").subject == "ana"
    with pytest.raises(InvalidToken):
        verify_token(keys.public_pem, refresh)


def test_a_service_without_a_usable_key_refuses_tokens() -> None:
    keys = SigningKeys()
    with pytest.raises(InvalidToken):
        verify_token("", keys.token("admin"))
