"""Stripe payments: PaymentIntents, manual capture, refunds, signed webhooks.

``plugin.py`` holds the hooks, ``client.py`` the configured ``stripe.StripeClient``,
``outcomes.py`` how a PaymentIntent becomes transaction events, ``webhooks.py`` the
signed webhook. See docs/payments.md.
"""
