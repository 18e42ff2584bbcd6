from django.apps import AppConfig


class GiftCardsConfig(AppConfig):
    name = "plugins.giftcards"
    label = "giftcards"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        """Keep gift-card codes out of the audit log: a code is spendable money.

        Models are registered with auditlog from settings (every model); this
        registration replaces that one for GiftCard with the code masked.
        """
        from auditlog.registry import auditlog

        from plugins.giftcards.models import GiftCard

        auditlog.unregister(GiftCard)
        auditlog.register(GiftCard, mask_fields=["code"])
