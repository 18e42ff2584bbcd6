from django.apps import AppConfig


class LoyaltyConfig(AppConfig):
    """The plugin's Django app: its models, migrations and dashboard pages.

    The label must be unique among every installed app (core, domains and all
    plugins), so it carries the distribution's full name rather than "loyalty".
    """

    name = "fashionistar_example_loyalty"
    label = "fashionistar_example_loyalty"
    verbose_name = "Loyalty (example plugin)"
    default_auto_field = "django.db.models.BigAutoField"
