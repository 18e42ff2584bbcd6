from django.apps import AppConfig


class WishlistsConfig(AppConfig):
    name = "plugins.wishlists"
    label = "wishlists"
    verbose_name = "Wishlists"
    default_auto_field = "django.db.models.BigAutoField"
