from django.apps import AppConfig


class WarehouseConfig(AppConfig):
    name = "warehouse"
    default_auto_field = "django.db.models.BigAutoField"
