from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "plugins.reviews"
    label = "reviews"
    verbose_name = "Product reviews"
    default_auto_field = "django.db.models.BigAutoField"
