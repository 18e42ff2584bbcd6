from django.apps import AppConfig


class OrderConfig(AppConfig):
    name = "order"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from order.services import _on_transaction_change
        from payment.services import order_payment_listeners

        if _on_transaction_change not in order_payment_listeners:
            order_payment_listeners.append(_on_transaction_change)
