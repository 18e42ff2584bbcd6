from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from core.events.sweeper import start_embedded_sweeper


class Command(BaseCommand):
    help = "Serve the embedded mode (SQLite, in-process tasks) with the outbox sweeper running."

    def add_arguments(self, parser) -> None:  # noqa: ANN001
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")

    def handle(self, *args, **options) -> None:
        if settings.PRODUCTION:
            raise CommandError(
                "`serve` is the embedded-mode server. In production run gunicorn, a Celery "
                "worker and Celery beat (README, 'Production mode')."
            )
        start_embedded_sweeper()
        self.stdout.write(
            f"GraphiQL: http://{options['addrport']}/graphql/  "
            f"dashboard: http://{options['addrport']}/dashboard/"
        )
        call_command("runserver", options["addrport"], use_reloader=False)
