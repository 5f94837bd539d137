"""Refuse the NUL character (U+0000) at the door.

PostgreSQL text cannot hold it, so a NUL in a name or a filter would otherwise surface as a
database error (500) deep inside a use case.  No business value needs it: a request carrying
one in its path, query string, JSON or form body is bad input (422, problem+json).
"""

from __future__ import annotations

import re

from starlette.types import ASGIApp, Receive, Scope, Send

from contracts.http.problems import problem_response
from contracts.http.request_body import read_body, replaying

# The JSON escape \u0000 not itself escaped (an odd run of backslashes), or a raw NUL byte.
_NUL_IN_JSON = re.compile(rb"(?<!\\)(?:\\\\)*\\u0000|\x00")
_NUL_IN_QUERY = re.compile(rb"%00|\x00")
_BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})


class NulGuardMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if "\x00" in scope["path"] or _NUL_IN_QUERY.search(scope.get("query_string", b"")):
            await _refuse(scope, receive, send, "url")
            return
        pattern = _body_pattern(scope)
        if scope["method"] not in _BODY_METHODS or pattern is None:
            await self.app(scope, receive, send)
            return
        body = await read_body(receive)
        if pattern.search(body):
            await _refuse(scope, receive, send, "body")
            return
        await self.app(scope, replaying(body, receive), send)


def _body_pattern(scope: Scope) -> re.Pattern[bytes] | None:
    for name, value in scope["headers"]:
        if name == b"content-type":
            if b"json" in value.lower():
                return _NUL_IN_JSON
            if b"x-www-form-urlencoded" in value.lower():
                return _NUL_IN_QUERY
    return None


async def _refuse(scope: Scope, receive: Receive, send: Send, where: str) -> None:
    response = problem_response(
        422,
        "Unprocessable content",
        f"the {where} contains a NUL character (U+0000), which no field accepts",
        type_slug="validation",
        errors=[{"field": where, "message": "NUL characters (U+0000) are not accepted"}],
    )
    await response(scope, receive, send)
