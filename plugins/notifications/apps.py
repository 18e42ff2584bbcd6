from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "plugins.notifications"
    label = "notifications"
