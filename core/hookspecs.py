"""THE list of hooks. Plugin authors read only this file (and docs/plugins.md).

Every hook is one of four kinds; the kind decides when it runs and how the
results of several plugins combine.

``event``
    Something happened. Called **after the transaction commits**, from a Celery
    worker, **at least once**, for each plugin separately, with retries and
    exponential backoff; after ``OUTBOX_MAX_ATTEMPTS`` failures the delivery is
    dead-lettered (staff can see and re-queue it). Arguments: ``event``
    (:class:`core.events.Event`: ``id`` stable across retries, use it for
    idempotency; ``type``; ``channel`` slug or None; ``payload`` dict;
    ``occurred_at``; ``attempt``) and ``config`` (your
    :class:`core.plugins.PluginConfig` in that channel). The return value is
    ignored. Raising marks the attempt failed; it never affects the sale or any
    other plugin. The handler runs inside its own transaction: an exception
    rolls back what it wrote.

``decision``
    The core asks a question **inside the request** (and inside the caller's
    transaction when there is one). Only plugins active in the channel are
    asked. To refuse, raise :class:`core.errors.PluginVeto` (or another
    :class:`core.errors.DomainError`): the operation stops and the client gets a
    typed error. How answers combine is said on each hook: *first answer* hooks
    return the first non-None answer in call order; *list* hooks concatenate the
    lists every plugin returns; the others return the list of non-None answers.

``pipeline``
    A value is computed in steps. The core computes the first value and passes
    it as ``previous_value`` to the first active plugin; each plugin returns the
    next value (returning None keeps the previous one). Runs inside the request.
    Must be pure: no writes, no network calls you cannot afford per request.

``startup``
    Called once when the process builds its GraphQL schema or Celery schedule,
    for every installed plugin regardless of channel activation.

**Call order** (decisions and pipelines): plugins marked
``@hookimpl(tryfirst=True)`` first, then built-in plugins in the order of
``settings.BUILTIN_PLUGINS``, then entry-point plugins by entry-point name,
then ``trylast`` ones.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from typing import Any, TypeVar

import pluggy

PROJECT = "fashionistar"

hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)

F = TypeVar("F", bound=Callable[..., Any])


class HookKind(StrEnum):
    EVENT = "event"
    DECISION = "decision"
    PIPELINE = "pipeline"
    STARTUP = "startup"


def _mark(kind: HookKind, *, firstresult: bool = False, concat: bool = False) -> Callable[[F], F]:
    def decorate(function: F) -> F:
        function.hook_kind = kind  # type: ignore[attr-defined]
        function.hook_concat = concat  # type: ignore[attr-defined]
        return hookspec(firstresult=firstresult)(function)

    return decorate


event = _mark(HookKind.EVENT)
decision = _mark(HookKind.DECISION)
decision_first = _mark(HookKind.DECISION, firstresult=True)
decision_list = _mark(HookKind.DECISION, concat=True)
pipeline = _mark(HookKind.PIPELINE)
startup = _mark(HookKind.STARTUP)


# ----------------------------------------------------------------------------------------
# Catalog events. Payload: {"id", "slug", "name", ...} of the object as committed.
# ----------------------------------------------------------------------------------------


@event
def product_created(event, config) -> None:
    """A product was created. Payload: ``product`` (id, slug, name, product_type, category)."""


@event
def product_updated(event, config) -> None:
    """A product's data, media or channel listings changed. Payload: ``product``."""


@event
def product_deleted(event, config) -> None:
    """A product was deleted. Payload: ``product`` (id, slug, name) as it was before deletion."""


@event
def product_variant_created(event, config) -> None:
    """A variant was created. Payload: ``variant`` (id, sku, product_id, name)."""


@event
def product_variant_updated(event, config) -> None:
    """A variant's data or prices changed. Payload: ``variant``.

    When channel prices were set, the payload also carries ``price_changes``: one item
    per channel whose price changed, ``{"channel", "currency", "old_price", "new_price"}``
    (decimal strings; ``old_price`` None when the variant was not priced there before).
    A price drop is ``new_price < old_price``.
    """


@event
def product_variant_deleted(event, config) -> None:
    """A variant was deleted. Payload: ``variant`` as it was before deletion."""


@event
def product_variant_out_of_stock(event, config) -> None:
    """A variant's available quantity in a warehouse dropped to zero.

    Payload: ``variant`` (id, sku, product_id), ``warehouse`` (id, slug).
    """


@event
def product_variant_back_in_stock(event, config) -> None:
    """A variant's available quantity in a warehouse rose above zero again. Payload as above."""


@event
def stock_changed(event, config) -> None:
    """A stock quantity changed.

    Payload: ``variant``, ``warehouse``, ``quantity``, ``allocated``.
    """


# ----------------------------------------------------------------------------------------
# Checkout and order events. Channel: the checkout's or order's channel.
# ----------------------------------------------------------------------------------------


@event
def checkout_created(event, config) -> None:
    """A checkout was created. Payload: ``checkout`` (id, email, lines, totals)."""


@event
def checkout_updated(event, config) -> None:
    """A checkout's lines, addresses, delivery or promo codes changed. Payload: ``checkout``."""


@event
def checkout_completed(event, config) -> None:
    """A checkout became an order. Payload: ``checkout_id``, ``order`` (id, number)."""


@event
def order_created(event, config) -> None:
    """An order was placed. Payload: ``order`` (id, number, lines, totals, customer email)."""


@event
def order_confirmed(event, config) -> None:
    """An unconfirmed order was confirmed by staff or automatically. Payload: ``order``."""


@event
def order_updated(event, config) -> None:
    """An order's data changed (address, note, lines). Payload: ``order``."""


@event
def order_paid(event, config) -> None:
    """Captured payments now cover the order total (charge status FULL). Payload: ``order``."""


@event
def order_fulfilled(event, config) -> None:
    """Every line of an order is fulfilled. Payload: ``order``, ``fulfillment``."""


@event
def fulfillment_created(event, config) -> None:
    """Lines were fulfilled from a warehouse. Payload: ``order``, ``fulfillment`` (tracking)."""


@event
def order_cancelled(event, config) -> None:
    """An order was cancelled and its allocations released. Payload: ``order``."""


@event
def order_refunded(event, config) -> None:
    """Money was refunded on an order. Payload: ``order``, ``amount``, ``currency``."""


@event
def order_returned(event, config) -> None:
    """Lines of an order were returned. Payload: ``order``, ``lines``, ``restocked``."""


@event
def invoice_requested(event, config) -> None:
    """Staff or a customer asked for an order's invoice. Payload: ``order``, ``invoice_id``."""


# ----------------------------------------------------------------------------------------
# Account events.
# ----------------------------------------------------------------------------------------


@event
def customer_created(event, config) -> None:
    """A customer account was created. Payload: ``user`` (id, email, phone)."""


@event
def customer_updated(event, config) -> None:
    """A customer's account data changed. Payload: ``user``."""


@event
def customer_deleted(event, config) -> None:
    """A customer account was erased or anonymised. Payload: ``user`` (id only)."""


@event
def notification_requested(event, config) -> None:
    """Send a message to a person: email, SMS or push, whatever the plugin does.

    Payload: ``template`` (e.g. ``order_confirmation``, ``account_confirmation``,
    ``password_reset``), ``channel_type`` (``email`` or ``sms``), ``recipient``
    (address or E.164 number) and ``context`` (the template's variables). Every
    active notifier plugin receives it and sends through its own medium when it
    handles that ``channel_type``.
    """


# ----------------------------------------------------------------------------------------
# Review events (plugins/reviews). Channel: the channel the review was written in.
# ----------------------------------------------------------------------------------------


@event
def review_created(event, config) -> None:
    """A customer reviewed a product they received (pending or already published).

    Payload: ``review`` with ``id``, ``product_id``, ``user_id``, ``rating`` (1-5),
    ``title``, ``fit`` (``runs_small``, ``true_to_size``, ``runs_large`` or None: size-fit
    feedback, e.g. for a size recommender), ``status`` (``pending`` or ``published``),
    ``verified_purchase``, ``order_line_id`` (the fulfilled line that verifies it) and
    ``variant`` (``id``, ``sku``, ``name`` of the variant bought, or None). The text is not
    in the payload: read the review if you need it, and treat it as untrusted input.
    """


@event
def review_approved(event, config) -> None:
    """A review became visible on the storefront: published at creation (the channel's
    ``auto_publish`` setting) or approved by staff. Payload: ``review`` as in
    ``review_created``.
    """


# ----------------------------------------------------------------------------------------
# Payment events: what a payment provider reported that is not a payment of an order.
# ----------------------------------------------------------------------------------------


@event
def payment_transfer_updated(event, config) -> None:
    """A payout (transfer) sent through a payment provider succeeded, failed or was reversed.

    Emitted by gateway plugins when the provider's signed webhook reports it (Paystack's
    ``transfer.success``, ``transfer.failed``, ``transfer.reversed``), in the transaction
    that records the webhook; a replayed webhook emits nothing. Channel: the channel of
    the webhook URL (None for the global URL). Payload: ``transfer`` with ``gateway``
    (the reporting plugin's gateway id), ``status`` (``success``, ``failed`` or
    ``reversed``), ``reference`` (the reference given when the transfer was initiated),
    ``psp_reference`` (the provider's transfer code), ``amount`` (decimal string in major
    units), ``currency``, ``reason``, ``recipient`` (the provider's recipient code),
    ``provider_event`` (e.g. ``transfer.success``), ``occurred_at`` (ISO time the provider
    gives, or None) and ``raw`` (the provider's data object, for support). A transfer may
    report ``success`` and later ``reversed``: act on each status once (the event id is
    stable across retries) and compare ``occurred_at`` if the order matters to you.
    """


# ----------------------------------------------------------------------------------------
# Payment decisions. ``gateway_id`` routes the call: a plugin answers only for the
# gateways it listed in ``payment_gateways`` and returns None otherwise.
# ----------------------------------------------------------------------------------------


@decision_list
def payment_gateways(channel, currency, config) -> list:
    """List the payment gateways this plugin offers in ``channel`` for ``currency``.

    Return a list of :class:`payment.gateway.PaymentGateway` (id, name,
    currencies, public config). Results of all plugins are concatenated.
    """


@decision_first
def payment_gateway_initialize(gateway_id, channel, amount, data, config) -> Any:
    """Return the data a client needs before paying (e.g. a public key), or None."""


@decision_first
def transaction_initialize(gateway_id, transaction, amount, action, data, channel, config) -> Any:
    """Start a payment session for ``transaction`` (``action`` is CHARGE or AUTHORIZATION).

    Return a :class:`payment.gateway.TransactionResult` (result, psp_reference,
    amount, data for the client such as a redirect URL or client secret, raw
    response). Called in the request, outside the order transaction.
    """


@decision_first
def transaction_process(gateway_id, transaction, data, channel, config) -> Any:
    """Settle a session after the customer acted (3-D Secure, redirect back).

    Return a :class:`payment.gateway.TransactionResult` or None.
    """


@decision_first
def authorize_payment(gateway_id, payment, amount, data, channel, config) -> Any:
    """Single-step payment for gateways that settle synchronously (``checkoutPaymentCreate``).

    Return a :class:`payment.gateway.TransactionResult`; raise PluginVeto to decline.
    """


@decision_first
def capture_payment(gateway_id, transaction, amount, channel, config) -> Any:
    """Capture ``amount`` of an authorised transaction. Return a TransactionResult."""


@decision_first
def refund_payment(gateway_id, transaction, amount, channel, config) -> Any:
    """Refund ``amount`` of a charged transaction. Return a TransactionResult."""


@decision_first
def cancel_payment(gateway_id, transaction, channel, config) -> Any:
    """Void an authorisation. Return a TransactionResult."""


# ----------------------------------------------------------------------------------------
# Checkout and account decisions.
# ----------------------------------------------------------------------------------------


@decision_list
def shipping_methods(checkout, channel, config) -> list:
    """Offer extra shipping methods for ``checkout`` (e.g. a carrier's live rates).

    Return a list of :class:`warehouse.shipping.ShippingOption`; all plugins'
    lists are concatenated with the core's own methods.
    """


@decision
def validate_checkout(checkout, channel, config) -> None:
    """Called before ``checkoutComplete`` creates the order, inside its transaction.

    Raise PluginVeto (with ``field`` and a ``code``) to refuse completion.
    """


@decision_first
def validate_promo_code(checkout, code, channel, config) -> Any:
    """A customer entered ``code`` on ``checkout``: is it yours and usable?

    Return a :class:`checkout.promo.PromoCode` (code, kind, description) when you
    accept it, None when it is not yours; raise PluginVeto with a code such as
    ``VOUCHER_EXPIRED`` or ``VOUCHER_MIN_SPEND`` when it is yours but unusable.
    The discount itself is applied by your pricing pipeline hooks. A code of kind
    ``gift_card`` is added to ``checkout.gift_card_codes`` (several may be
    applied); any other kind replaces ``checkout.voucher_code``.
    """


@decision_list
def checkout_gift_cards(checkout, channel, config) -> list:
    """The gift cards applied to ``checkout`` (codes in ``checkout.gift_card_codes``).

    Return a list of your gift-card objects, resolved by the GraphQL type you
    registered under the name ``GiftCard`` (``core.graphql.schema.extendable``);
    the lists of all plugins are concatenated into ``checkout.giftCards``.
    """


@decision
def redeem_promo_codes(checkout, order, channel, config) -> None:
    """``checkoutComplete`` is creating ``order``, inside its transaction.

    Consume usage of the codes on the checkout that are yours (lock your rows
    with ``select_for_update``); raise PluginVeto if a code was used up meanwhile:
    the whole completion rolls back and the customer gets your error.
    """


@decision_first
def authenticate_user(method, credentials, request, config) -> Any:
    """Sign a person in with an external identity (``method`` e.g. ``google``).

    Return the :class:`account.models.User` (created or linked) or None when the
    method is not yours; raise PluginVeto when the credentials are invalid.
    Channel-less: uses your global configuration.
    """


@decision_first
def handle_webhook(request, channel, config) -> Any:
    """Answer a provider's HTTP call to ``/plugins/<plugin-id>/webhook/[<channel>/]``.

    Only the plugin named in the URL is called. Verify the signature with your
    secret; return a :class:`django.http.HttpResponse`. Make it idempotent: a
    replay of the same provider event must change nothing and return success.
    """


# ----------------------------------------------------------------------------------------
# Price pipelines. Values are prices.TaxedMoney (or Decimal rates) in the channel's
# currency; return a value rounded to the currency's minor unit (core.money.quantize).
# ----------------------------------------------------------------------------------------


@pipeline
def calculate_variant_price(variant, channel, previous_value, config) -> Any:
    """The price a storefront shows for a variant (e.g. apply a sale). Money."""


@pipeline
def calculate_checkout_line_total(checkout, line, channel, previous_value, config) -> Any:
    """Total of one checkout line. Core value: unit price x quantity, untaxed. TaxedMoney."""


@pipeline
def calculate_checkout_subtotal(checkout, lines, channel, previous_value, config) -> Any:
    """Sum of the lines after line-level steps (vouchers apply here). TaxedMoney."""


@pipeline
def calculate_checkout_shipping(checkout, channel, previous_value, config) -> Any:
    """Shipping price of the chosen delivery method. TaxedMoney."""


@pipeline
def calculate_checkout_total(checkout, channel, previous_value, config) -> Any:
    """Grand total: subtotal + shipping, then gift cards etc. TaxedMoney."""


@pipeline
def get_checkout_line_tax_rate(checkout, line, channel, previous_value, config) -> Any:
    """Tax rate of a line as a Decimal fraction (0.075 for 7.5 %). Core value: 0."""


@pipeline
def calculate_order_total(order, channel, previous_value, config) -> Any:
    """An order's total when staff edit it. TaxedMoney."""


# ----------------------------------------------------------------------------------------
# Start-up hooks: extend the API, the dashboard and the schedules.
# ----------------------------------------------------------------------------------------


@startup
def graphql_query_fields() -> dict:
    """Return ``{field_name: graphene.Field}`` to add to the root ``Query``."""


@startup
def graphql_mutation_fields() -> dict:
    """Return ``{field_name: graphene.Field}`` (``MyMutation.Field()``) for ``Mutation``."""


@startup
def graphql_type_fields() -> dict:
    """Add fields to core types: ``{"Product": {"size_recommendation": graphene.Field(...)}}``.

    A field name already on the type is refused at start-up.
    """


@startup
def celery_beat_schedule() -> dict:
    """Return Celery beat entries ``{name: {"task": ..., "schedule": seconds}}``."""


@startup
def populate_demo_data() -> None:
    """Add the plugin's demo data; called by ``manage.py populatedb`` after the core's.

    Must be deterministic and idempotent (same data on every run, no duplicates).
    """
