from django.apps import AppConfig


class OrderConfig(AppConfig):
    name = "order"
    default_auto_field = "django.db.models.BigAutoField"
