import importlib

from django.core.management.base import BaseCommand
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

    def handle(self, *args, **options) -> None:
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
