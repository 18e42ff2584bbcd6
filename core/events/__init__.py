"""Events: written to the outbox in the caller's transaction, delivered after commit."""

from core.events.types import Event

__all__ = ["Event"]
