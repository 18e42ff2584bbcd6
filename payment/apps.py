from django.apps import AppConfig


class PaymentConfig(AppConfig):
    name = "payment"
    default_auto_field = "django.db.models.BigAutoField"
