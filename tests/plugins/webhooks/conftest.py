"""A real receiver on 127.0.0.1 that checks signatures, and apps/webhooks made by the services."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.utils import timezone

SECRET = "receiver-shared-secret-0123456789"


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes
    signature_ok: bool

    @property
    def json(self) -> dict:
        return json.loads(self.body)


@dataclass
class Receiver:
    """Answers with the queued statuses (then 200); 401 when the signature is wrong."""

    secret: str = SECRET
    statuses: list[int] = field(default_factory=list)
    requests: list[Received] = field(default_factory=list)
    url: str = ""

    def respond_with(self, *statuses: int) -> None:
        self.statuses.extend(statuses)

    def handle(self, headers: dict[str, str], body: bytes) -> tuple[int, bytes]:
        timestamp = headers.get("X-Fashionistar-Timestamp", "")
        expected = hmac.new(
            self.secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256
        ).hexdigest()
        ok = hmac.compare_digest(expected, headers.get("X-Fashionistar-Signature", ""))
        self.requests.append(Received(headers, body, ok))
        if not ok:
            return 401, b"bad signature"
        status = self.statuses.pop(0) if self.statuses else 200
        return status, f"answer {status}".encode()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    state = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - http.server's name
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            status, answer = state.handle(dict(self.headers.items()), body)
            self.send_response(status)
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}/hooks"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state
    server.shutdown()
    server.server_close()


@pytest.fixture(autouse=True)
def _loopback_allowed(settings: Any) -> None:
    settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS = True
    settings.WEBHOOKS_TIMEOUT_SECONDS = 3


@pytest.fixture
def manager_user(db: Any) -> Any:
    from account.models import User

    return User.objects.create_user(
        email="apps-admin@example.com", password="x", is_staff=True, is_superuser=True
    )


@pytest.fixture
def app(manager_user: Any) -> Any:
    from plugins.webhooks import services

    created, _ = services.create_app(manager_user, "ERP connector", ["MANAGE_PRODUCTS"])
    return created


@pytest.fixture
def make_webhook(app: Any, receiver: Receiver) -> Any:
    from plugins.webhooks import services

    def make(events: list[str], **extra: Any) -> Any:
        data = services.WebhookInput(
            name=extra.pop("name", "ERP"),
            target_url=extra.pop("target_url", receiver.url),
            secret=SECRET,
            events=events,
            **extra,
        )
        webhook, _ = services.create_webhook(app, data)
        return webhook

    return make


def send_due(*, ignore_backoff: bool = True) -> dict[int, str | None]:
    """What the worker does for due deliveries (tests run inside a transaction: no on_commit)."""
    from plugins.webhooks.delivery import due_ids, send
    from plugins.webhooks.models import WebhookDelivery

    if ignore_backoff:
        WebhookDelivery.objects.filter(status="pending").update(next_attempt_at=timezone.now())
    return {delivery_id: send(delivery_id) for delivery_id in due_ids()}
