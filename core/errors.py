"""Domain errors: raised by services and plugins, shown to API clients as typed errors.

Models and services raise these; the GraphQL layer turns them into
``errors { field code message }`` on mutation payloads. They never carry stack
traces or internal details to clients.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class ErrorDetail:
    code: str
    message: str
    field: str | None = None
    extra: dict | None = None


class DomainError(Exception):
    """One or more user-facing errors. ``code`` is a stable machine code (UPPER_SNAKE)."""

    default_code = "INVALID"

    def __init__(
        self,
        message: str = "",
        *,
        code: str | None = None,
        field: str | None = None,
        errors: Iterable[ErrorDetail] | None = None,
        extra: dict | None = None,
    ) -> None:
        details = list(errors or [])
        if message or not details:
            details.insert(0, ErrorDetail(code or self.default_code, message, field, extra))
        self.errors: list[ErrorDetail] = details
        super().__init__("; ".join(d.message for d in details))

    @property
    def code(self) -> str:
        return self.errors[0].code


class NotFound(DomainError):
    default_code = "NOT_FOUND"


class PermissionDenied(DomainError):
    default_code = "PERMISSION_DENIED"


class PluginVeto(DomainError):
    """Raised by a plugin from a decision hook to refuse an operation."""

    default_code = "PLUGIN_VETO"


def collect(errors: list[ErrorDetail]) -> None:
    """Raise one DomainError carrying every collected detail, if any."""
    if errors:
        raise DomainError(errors=errors)
