"""A tiny local HTTP server for faking a payment provider at the HTTP boundary.

Subclasses route ``(method, path)`` to handlers returning ``(status, json_body)``. Every
request is logged (method, path, headers, raw body) so tests can assert what our code
sent. ``delay`` makes the server slow (timeouts); ``down`` makes it answer 503.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit


@dataclass
class Seen:
    method: str
    path: str
    query: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body or b"null")


Route = Callable[..., tuple[int, Any]]


@dataclass
class FakeProvider:
    routes: list[tuple[str, re.Pattern[str], Route]] = field(default_factory=list)
    seen: list[Seen] = field(default_factory=list)
    delay: float = 0.0
    down: bool = False

    def route(self, method: str, pattern: str, handler: Route) -> None:
        self.routes.append((method, re.compile(f"^{pattern}$"), handler))

    def start(self) -> None:
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def _serve(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                url = urlsplit(self.path)
                seen = Seen(
                    self.command, url.path, url.query, {k: v for k, v in self.headers.items()}, body
                )
                provider.seen.append(seen)
                if provider.delay:
                    time.sleep(provider.delay)
                status, answer = provider.dispatch(seen)
                payload = json.dumps(answer).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (timeout tests)

            do_GET = do_POST = do_DELETE = _serve

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                return

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def dispatch(self, seen: Seen) -> tuple[int, Any]:
        if self.down:
            return 503, {"message": "Service Unavailable"}
        for method, pattern, handler in self.routes:
            match = pattern.match(seen.path)
            if method == seen.method and match:
                return handler(seen, *match.groups())
        return 404, {"message": f"no route {seen.method} {seen.path}"}

    def requests_to(self, method: str, prefix: str) -> list[Seen]:
        return [s for s in self.seen if s.method == method and s.path.startswith(prefix)]
