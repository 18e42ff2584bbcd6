from django.apps import AppConfig


class StripeGatewayConfig(AppConfig):
    # Not "plugins.stripe": a package named ``stripe`` would shadow the Stripe library.
    name = "plugins.stripe_gateway"
    label = "stripe_gateway"
    verbose_name = "Stripe"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from plugins.stripe_gateway.client import install_log_redaction

        install_log_redaction()
