from django.apps import AppConfig


class PaystackConfig(AppConfig):
    name = "plugins.paystack"
    label = "paystack"
    verbose_name = "Paystack"
    default_auto_field = "django.db.models.BigAutoField"
