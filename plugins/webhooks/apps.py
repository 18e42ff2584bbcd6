from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "plugins.webhooks"
    label = "webhooks"
    verbose_name = "Apps and webhooks"
    default_auto_field = "django.db.models.BigAutoField"
