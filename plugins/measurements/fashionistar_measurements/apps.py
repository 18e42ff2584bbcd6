from django.apps import AppConfig


class MeasurementsConfig(AppConfig):
    name = "fashionistar_measurements"
    label = "fashionistar_measurements"
    verbose_name = "Measurements and size charts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # A hard delete of a user (dashboard) erases their measurements too; the
        # storefront's account deletion anonymises and emits ``customer_deleted``.
        from django.contrib.auth import get_user_model
        from django.db.models.signals import post_delete

        from fashionistar_measurements import services

        post_delete.connect(
            services.on_user_deleted,
            sender=get_user_model(),
            dispatch_uid="fashionistar_measurements.erase_on_user_delete",
        )
