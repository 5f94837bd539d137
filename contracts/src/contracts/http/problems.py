"""RFC 9457 problem responses, the one error format of every API of the platform."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from sqlalchemy.orm.exc import StaleDataError
from starlette.exceptions import HTTPException as StarletteHTTPException

from contracts.errors import DomainError
from contracts.runtime.context import current_correlation_id

log = logging.getLogger("contracts.http")

PROBLEM_JSON = "application/problem+json"
TYPE_BASE = "https://crmerp.dev/problems/"


class FieldError(BaseModel):
    field: str = Field(description="Dotted path of the offending field, e.g. body.lines.0.quantity")
    message: str


class Problem(BaseModel):
    """An RFC 9457 problem document."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str | None = None
    instance: str | None = None
    errors: list[FieldError] = Field(default_factory=list)
    correlation_id: str | None = None


def problem_response(
    status: int,
    title: str,
    detail: str | None = None,
    *,
    type_slug: str | None = None,
    errors: list[dict[str, str]] | None = None,
    instance: str | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    body = Problem(
        type=TYPE_BASE + type_slug if type_slug else "about:blank",
        title=title,
        status=status,
        detail=detail,
        instance=instance,
        errors=[FieldError(**e) for e in errors or []],
        correlation_id=current_correlation_id(),
    )
    return JSONResponse(
        body.model_dump(exclude_none=True),
        status_code=status,
        media_type=PROBLEM_JSON,
        headers=headers,
    )


def _field(loc: tuple[Any, ...] | list[Any]) -> str:
    return ".".join(str(p) for p in loc)


def install_problem_handlers(app: FastAPI) -> None:
    """Make every error the app returns a problem document."""

    @app.exception_handler(DomainError)
    async def domain_error(request: Request, exc: DomainError) -> JSONResponse:
        return problem_response(
            exc.status,
            exc.title,
            exc.detail,
            type_slug=exc.type_slug,
            errors=exc.errors,
            instance=request.url.path,
        )

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [
            {"field": _field(e.get("loc", ())), "message": str(e.get("msg", "invalid"))}
            for e in exc.errors()
        ]
        return problem_response(
            422,
            "Invalid request",
            f"{len(errors)} field(s) failed validation",
            type_slug="validation",
            errors=errors,
            instance=request.url.path,
        )

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        detail = exc.detail if isinstance(exc.detail, str) else None
        return problem_response(
            exc.status_code,
            _TITLES.get(exc.status_code, "Error"),
            detail,
            instance=request.url.path,
            headers=getattr(exc, "headers", None),
        )

    @app.exception_handler(StaleDataError)
    async def concurrent_change(request: Request, exc: StaleDataError) -> JSONResponse:
        # Optimistic locking refused a write: another request changed the same record first,
        # and this one rolled back whole.  Nothing is wrong with the request; it can be retried.
        log.info("concurrent change on %s %s: %s", request.method, request.url.path, exc)
        return problem_response(
            409,
            "Conflict",
            "The record changed while this request was being applied; nothing was saved. "
            "Retry the request.",
            type_slug="concurrent-change",
            instance=request.url.path,
            headers={"Retry-After": "1"},
        )

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return problem_response(
            500, "Internal error", "The error was logged.", instance=request.url.path
        )


_TITLES = {
    400: "Bad request",
    401: "Not authenticated",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    412: "Precondition failed",
    413: "Request too large",
    415: "Unsupported media type",
    422: "Invalid request",
    428: "Precondition required",
    429: "Too many requests",
    503: "Service unavailable",
}

PROBLEM_RESPONSES: dict[int | str, dict[str, Any]] = {
    code: {"model": Problem, "content": {PROBLEM_JSON: {}}, "description": _TITLES[code]}
    for code in (401, 403, 404, 409, 422)
}
"""Pass as ``responses=`` to a router so the OpenAPI document shows the error shape."""
