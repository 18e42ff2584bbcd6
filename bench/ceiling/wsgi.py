"""WSGI entry point of the ceiling app: ``gunicorn bench.ceiling.wsgi:application``."""

import os

from django.core.wsgi import get_wsgi_application

os.environ["DJANGO_SETTINGS_MODULE"] = "bench.ceiling.settings"

application = get_wsgi_application()
