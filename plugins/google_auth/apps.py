from django.apps import AppConfig


class GoogleAuthConfig(AppConfig):
    name = "plugins.google_auth"
    label = "google_auth"
