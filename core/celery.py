"""The Celery app: Redis broker in production, in-process (eager) in embedded mode."""

from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "core.settings")

app = Celery("fashionistar")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
