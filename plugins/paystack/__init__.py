"""Paystack payments: hosted checkout, verification, refunds, signed webhooks, reconciliation.

``plugin.py`` holds the hooks, ``client.py`` the HTTP calls, ``outcomes.py`` how Paystack's
answers become transaction events, ``webhooks.py`` the signed webhook, ``tasks.py`` the
periodic reconciliation of payments left pending. See docs/payments.md.
"""
