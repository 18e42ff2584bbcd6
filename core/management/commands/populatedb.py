import importlib

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from core.plugins.manager import get_manager

DOMAIN_DEMOS = (
    "core.demo",
    "account.demo",
    "product.demo",
    "warehouse.demo",
    "checkout.demo",
    "order.demo",
    "payment.demo",
)


class Command(BaseCommand):
    help = "Load the deterministic demo data (idempotent): core, domains, then plugins."

    def add_arguments(self, parser) -> None:  # noqa: ANN001
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Load demo data in production mode too (benchmarks); the demo staff account "
            "then gets no usable password.",
        )

    def handle(self, *args, **options) -> None:
        if settings.PRODUCTION and not options["allow_production"]:
            raise CommandError(
                "Refusing to load demo data in production mode (pass --allow-production for a "
                "benchmark or staging database)."
            )
        with transaction.atomic():
            for path in DOMAIN_DEMOS:
                try:
                    module = importlib.import_module(path)
                except ModuleNotFoundError as exc:
                    if exc.name != path:
                        raise
                    continue
                module.populate(stdout=self.stdout)
            get_manager().startup("populate_demo_data")
        self.stdout.write(self.style.SUCCESS("demo data loaded"))
