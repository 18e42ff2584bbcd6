from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class Event:
    """What an event hook receives. ``id`` is the same on every retry: use it to deduplicate."""

    id: uuid.UUID
    type: str
    channel: str | None
    payload: dict[str, Any]
    occurred_at: datetime
    attempt: int = 1
