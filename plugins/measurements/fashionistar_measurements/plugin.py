"""The measurements plugin: hooks it implements and the hooks it declares.

Events (after commit, from the outbox; idempotent on ``event.id``):

* ``product_created`` / ``product_updated``: flag sized products no chart applies to.
* ``order_fulfilled``: each line in a charted size becomes a KEPT outcome for the
  customer's primary profile (their oldest profile of the chart's body category,
  else their oldest profile).
* ``order_returned``: each returned line becomes a RETURNED outcome (no direction:
  returns carry no reason; shoppers give one with ``measurementFitFeedback``).
* ``review_created`` (plugins/reviews): a review's size-fit feedback (runs small, true to
  size, runs large) becomes a TOO_SMALL, GOOD or TOO_LARGE outcome of the size bought.
* ``customer_deleted``: every profile of the account is erased.

Startup: GraphQL fields (query, mutations, ``Product.sizeRecommendation``,
``User.measurementProfiles``) and demo size charts.
"""

from __future__ import annotations

from core.events import Event
from core.plugins import BasePlugin, PluginConfig, hookimpl
from fashionistar_measurements import hookspecs as measurement_hookspecs


class MeasurementsPlugin(BasePlugin):
    id = "fashionistar.measurements"
    name = "Measurements and size recommendation"
    description = (
        "Body measurement profiles, size charts and a size recommendation on every product."
    )
    version = "0.1.0"
    per_channel = False
    default_active = True
    hookspecs = measurement_hookspecs

    # -- events -----------------------------------------------------------------------------

    @hookimpl
    def product_created(self, event: Event, config: PluginConfig) -> None:
        from fashionistar_measurements.charts import check_product

        check_product(int(event.payload["product"]["id"]))

    @hookimpl
    def product_updated(self, event: Event, config: PluginConfig) -> None:
        from fashionistar_measurements.charts import check_product

        check_product(int(event.payload["product"]["id"]))

    @hookimpl
    def order_fulfilled(self, event: Event, config: PluginConfig) -> None:
        from fashionistar_measurements.feedback import record_order_lines

        record_order_lines(event, event.payload["order"]["lines"], outcome="kept")

    @hookimpl
    def order_returned(self, event: Event, config: PluginConfig) -> None:
        from fashionistar_measurements.feedback import record_order_lines

        returned = {int(item["line_id"]) for item in event.payload.get("lines", [])}
        lines = [line for line in event.payload["order"]["lines"] if int(line["id"]) in returned]
        record_order_lines(event, lines, outcome="returned")

    @hookimpl
    def review_created(self, event: Event, config: PluginConfig) -> None:
        from fashionistar_measurements.feedback import record_review

        record_review(event)

    @hookimpl
    def customer_deleted(self, event: Event, config: PluginConfig) -> None:
        from fashionistar_measurements.services import erase_user

        erase_user(int(event.payload["user"]["id"]))

    # -- startup ----------------------------------------------------------------------------

    @hookimpl
    def graphql_query_fields(self) -> dict:
        from fashionistar_measurements.schema import query_fields

        return query_fields()

    @hookimpl
    def graphql_mutation_fields(self) -> dict:
        from fashionistar_measurements.schema import mutation_fields

        return mutation_fields()

    @hookimpl
    def graphql_type_fields(self) -> dict:
        from fashionistar_measurements.schema import type_fields

        return type_fields()

    @hookimpl
    def populate_demo_data(self) -> None:
        from fashionistar_measurements.demo import populate

        populate()
