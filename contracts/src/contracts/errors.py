"""Errors a service's domain raises; every service maps them to RFC 9457 problem responses.

Plain Python on purpose: domain modules raise these without importing any web framework.
"""

from __future__ import annotations


class DomainError(Exception):
    """A business rule refused a request.  ``status`` is the HTTP status it maps to."""

    status = 400
    title = "Request refused"

    def __init__(self, detail: str, *, errors: list[dict[str, str]] | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.errors = errors or []

    @property
    def type_slug(self) -> str:
        name = type(self).__name__
        return "".join("-" + c.lower() if c.isupper() else c for c in name).lstrip("-")


class NotFound(DomainError):
    status = 404
    title = "Not found"


class Conflict(DomainError):
    status = 409
    title = "Conflict with the current state"


class IllegalTransition(Conflict):
    title = "Illegal state transition"


class InvalidRequest(DomainError):
    status = 422
    title = "Invalid request"


class PreconditionFailed(DomainError):
    status = 412
    title = "The resource changed since you read it"


class Forbidden(DomainError):
    status = 403
    title = "Forbidden"
