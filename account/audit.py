"""The audit log: every write by staff, through GraphQL or the dashboard.

Why django-auditlog: it is maintained, works on PostgreSQL *and* SQLite (the
embedded mode; django-pghistory needs PostgreSQL triggers), diffs fields with
masking, tracks many-to-many changes, and lets us swap in our own entry model
(``account.AuditEvent``: append-only, with the user agent). Models are tracked
by settings (``AUDITLOG_INCLUDE_ALL_MODELS`` minus bookkeeping tables), so
models added later by any domain or plugin are covered without code.

Why our own middleware instead of auditlog's: auditlog's reads the actor when
the request starts, from Django's session authentication. GraphQL requests
authenticated by a JWT only get their user inside the GraphQL view. So the
request is kept in a context variable and the actor, IP, user agent and request
id are read when an entry is written, by which time the view has set
``request.user``.

What is recorded: writes made inside a request whose user is staff (vendors
are staff users with marketplace permissions). Customers' own writes, tasks
and shell commands are not staff actions and are not recorded. Bulk
``QuerySet.update``/``bulk_create`` bypass model signals and are not recorded
either: services that staff trigger must save models one by one or log
explicitly.
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from auditlog.context import auditlog_disabled
from django.http import HttpRequest, HttpResponse

from account.client import client_ip, user_agent
from core.request_context import current_request_id as _current_request_id

_request: ContextVar[HttpRequest | None] = ContextVar("audit_request", default=None)

MASK = "********"


def is_audited(user: Any) -> bool:
    """Whether writes by ``user`` belong in the audit log."""
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_staff", False))


def mask_secret(value: str) -> str:
    """Mask a secret completely (auditlog's default keeps half of it visible)."""
    return "" if value in ("", "None") else MASK


def current_request_id() -> str | None:
    """The request id of the write (auditlog's correlation id)."""
    value = _current_request_id()
    return None if value == "-" else value


def actor_changed(user: Any) -> None:
    """Called when a request's user becomes known late (bearer token in the GraphQL view)."""
    if _request.get() is not None:
        auditlog_disabled.set(not is_audited(user))


class AuditContextMiddleware:
    """Keep the request at hand for the audit log; switch recording on for staff only."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_token = _request.set(request)
        disabled_token = auditlog_disabled.set(not is_audited(getattr(request, "user", None)))
        try:
            return self.get_response(request)
        finally:
            auditlog_disabled.reset(disabled_token)
            _request.reset(request_token)


def only_staff_writes(sender: Any, instance: Any, action: Any, **kwargs: Any) -> bool:
    """``pre_log`` receiver: returning False stops auditlog from writing the entry."""
    request = _request.get()
    return request is not None and is_audited(getattr(request, "user", None))


def fill_request_data(sender: Any, instance: Any, **kwargs: Any) -> None:
    """``pre_save`` receiver of AuditEvent: actor, IP and user agent from the request."""
    if not instance._state.adding:
        return
    request = _request.get()
    if request is None:
        return
    user = getattr(request, "user", None)
    if instance.actor_id is None and getattr(user, "is_authenticated", False):
        instance.actor_id = user.pk
        instance.actor_email = user.email or user.phone
    instance.remote_addr = client_ip(request)
    instance.user_agent = user_agent(request)
    if not instance.cid:
        instance.cid = getattr(request, "request_id", None) or current_request_id()


def connect() -> None:
    """Wire the receivers (AccountConfig.ready). Outside requests recording starts off."""
    from auditlog.signals import pre_log
    from django.db.models.signals import pre_save

    from account.models import AuditEvent

    pre_log.connect(only_staff_writes, dispatch_uid="account.audit.only_staff_writes")
    pre_save.connect(
        fill_request_data, sender=AuditEvent, dispatch_uid="account.audit.fill_request_data"
    )
    auditlog_disabled.set(True)
