"""Embedded mode has no Celery beat: a daemon thread runs the outbox sweep instead."""

from __future__ import annotations

import logging
import threading

from django.conf import settings
from django.db import DatabaseError, close_old_connections

logger = logging.getLogger(__name__)


def start_embedded_sweeper() -> threading.Thread:
    from core.tasks import sweep_outbox_task

    stop = threading.Event()

    def loop() -> None:
        while not stop.wait(settings.OUTBOX_SWEEP_INTERVAL_SECONDS):
            try:
                sweep_outbox_task()
            except DatabaseError:
                logger.exception("outbox sweep failed; will try again")
            finally:
                close_old_connections()

    thread = threading.Thread(target=loop, name="outbox-sweeper", daemon=True)
    thread.stop = stop  # type: ignore[attr-defined]
    thread.start()
    return thread
