"""Product.sizeRecommendation: the size to buy, explained, in stock, batched."""

from __future__ import annotations

from typing import Any

import graphene
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from fashionistar_measurements.models import FitOutcome

PRODUCTS = """
query($profile: ID!, $first: Int!) {
  products(channel: "default-channel", first: $first) {
    edges { node { id name sizeRecommendation(profileId: $profile) {
      status size explanation usesEstimates variantIds
      fits { size score inStock }
      chart { name scope sizes }
    } } }
  }
}
"""
PRODUCT = """
query($id: ID!, $profile: ID!) {
  product(id: $id, channel: "default-channel") {
    sizeRecommendation(profileId: $profile) {
      status size explanation usesEstimates fits { size score inStock }
    }
  }
}
"""
FEEDBACK = """
mutation($profile: ID!, $product: ID!, $size: String!, $fit: MeasurementFitFeedbackValue!) {
  measurementFitFeedback(profileId: $profile, productId: $product, size: $size, fit: $fit) {
    recorded errors { field code message }
  }
}
"""


def gid(kind: str, pk: int) -> str:
    return graphene.relay.Node.to_global_id(kind, pk)


def recommendation(client: Any, product: Any, profile_id: str) -> dict:
    body = client(PRODUCT, {"id": gid("Product", product.pk), "profile": profile_id})
    assert "errors" not in body, body
    return body["data"]["product"]["sizeRecommendation"]


def test_the_size_that_fits_is_recommended_with_an_explanation(
    shop: Any, dress_chart: Any, ada_gql: Any, create_profile: Any
) -> None:
    profile = create_profile(ada_gql, chest=94, waist=78, hips=100)["profile"]["id"]

    result = recommendation(ada_gql, shop.products[0], profile)

    assert result["status"] == "RECOMMENDED"
    assert result["size"] == "M"
    assert "chest fits M" in result["explanation"]
    assert result["explanation"].endswith("→ M")
    scores = {f["size"]: f["score"] for f in result["fits"]}
    assert scores["M"] == 1.0 and scores["M"] > scores["L"] > scores["XL"]


def test_a_relaxed_fit_goes_up_a_size_and_says_why(
    shop: Any, dress_chart: Any, ada_gql: Any, create_profile: Any
) -> None:
    profile = create_profile(ada_gql, chest=96, waist=80, hips=102, fitPreference="RELAXED")
    result = recommendation(ada_gql, shop.products[0], profile["profile"]["id"])

    assert result["size"] == "L"
    assert "you prefer relaxed fit → L" in result["explanation"]


def test_a_measurement_between_sizes_is_named(shop: Any, ada_gql: Any, create_profile: Any) -> None:
    from fashionistar_measurements.charts import ChartScope, import_chart

    import_chart(
        scope=ChartScope(product_type_id=shop.dress.pk),
        name="With gaps",
        csv_text="size,chest_min,chest_max,waist_min,waist_max\nS,84,90,68,74\nM,90,98,74,81\nL,98,106,83,90\n",
    )
    profile = create_profile(ada_gql, chest=94, waist=82)["profile"]["id"]

    result = recommendation(ada_gql, shop.products[0], profile)

    assert "chest fits M" in result["explanation"]
    assert "waist between M and L" in result["explanation"]


def test_only_sizes_in_stock_in_the_channel_are_recommended(
    shop: Any, dress_chart: Any, ada_gql: Any, create_profile: Any
) -> None:
    profile = create_profile(ada_gql, chest=94, waist=78, hips=100)["profile"]["id"]
    shop.stock(shop.products[0], "M", 0)

    result = recommendation(ada_gql, shop.products[0], profile)

    assert result["size"] in ("S", "L")
    assert "M is out of stock" in result["explanation"]
    assert {f["size"]: f["inStock"] for f in result["fits"]}["M"] is False


def test_a_product_without_a_chart_says_so(shop: Any, ada_gql: Any, create_profile: Any) -> None:
    profile = create_profile(ada_gql, chest=94)["profile"]["id"]

    result = recommendation(ada_gql, shop.products[0], profile)

    assert result["status"] == "NO_SIZE_CHART"
    assert result["size"] is None
    assert "no size chart" in result["explanation"]


def test_a_product_chart_wins_over_the_product_type_chart(
    shop: Any, dress_chart: Any, ada_gql: Any, create_profile: Any
) -> None:
    from fashionistar_measurements.charts import ChartScope, import_chart

    import_chart(
        scope=ChartScope(product_id=shop.products[1].pk),
        name="Runs small",
        csv_text="size,chest_min,chest_max\nS,80,86\nM,86,90\nL,90,96\nXL,96,104\n",
    )
    profile = create_profile(ada_gql, chest=94)["profile"]["id"]

    assert recommendation(ada_gql, shop.products[0], profile)["size"] == "M"
    assert recommendation(ada_gql, shop.products[1], profile)["size"] == "L"


def test_someone_elses_profile_gives_no_recommendation(
    shop: Any, dress_chart: Any, ada_gql: Any, make_user: Any, as_user: Any, create_profile: Any
) -> None:
    profile = create_profile(ada_gql, chest=94)["profile"]["id"]
    eve = as_user(make_user("eve@example.com"))

    body = eve(PRODUCT, {"id": gid("Product", shop.products[0].pk), "profile": profile})

    assert body["data"]["product"]["sizeRecommendation"] is None
    assert body["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    assert "94" not in str(body)


def test_estimated_measurements_are_flagged_in_the_answer(
    shop: Any, dress_chart: Any, ada_gql: Any, create_profile: Any
) -> None:
    profile = create_profile(ada_gql, height=165, weight=62, age=30)["profile"]["id"]
    ada_gql(
        "mutation($p: ID!) { measurementEstimate(input: {profileId: $p}) { errors { code } } }",
        {"p": profile},
    )

    result = recommendation(ada_gql, shop.products[0], profile)

    assert result["status"] == "RECOMMENDED"
    assert result["usesEstimates"] is True


def test_fit_feedback_shifts_future_recommendations(
    shop: Any, dress_chart: Any, ada_gql: Any, create_profile: Any
) -> None:
    profile = create_profile(ada_gql, chest=94, waist=78, hips=100)["profile"]["id"]
    product = gid("Product", shop.products[0].pk)
    assert recommendation(ada_gql, shop.products[1], profile)["size"] == "M"

    for _ in range(2):
        sent = ada_gql(
            FEEDBACK, {"profile": profile, "product": product, "size": "M", "fit": "TOO_SMALL"}
        )
        assert sent["data"]["measurementFitFeedback"]["errors"] == []

    result = recommendation(ada_gql, shop.products[1], profile)
    assert result["size"] == "L"
    assert "past orders ran small for you → L" in result["explanation"]


def test_fit_feedback_on_someone_elses_profile_is_refused(
    shop: Any, dress_chart: Any, ada_gql: Any, make_user: Any, as_user: Any, create_profile: Any
) -> None:
    profile = create_profile(ada_gql, chest=94)["profile"]["id"]
    eve = as_user(make_user("eve@example.com"))

    sent = eve(
        FEEDBACK,
        {
            "profile": profile,
            "product": gid("Product", shop.products[0].pk),
            "size": "M",
            "fit": "TOO_SMALL",
        },
    )

    assert sent["data"]["measurementFitFeedback"]["errors"][0]["code"] == "NOT_FOUND"
    assert not FitOutcome.objects.exists()


def order_payload(user: Any, lines: list[tuple[int, Any]]) -> dict:
    """The shape of order.services.order_payload (the keys this plugin reads)."""
    return {
        "order": {
            "id": "b0e7c7de-0000-4000-8000-000000000001",
            "number": 1,
            "user_id": user.pk,
            "user_email": user.email,
            "lines": [
                {"id": line_id, "variant_id": v.pk, "product_id": v.product_id, "quantity": 1}
                for line_id, v in lines
            ],
        }
    }


def test_fulfilled_and_returned_orders_are_recorded_once(
    plugin_kit: Any, shop: Any, dress_chart: Any, ada: Any, ada_gql: Any, create_profile: Any
) -> None:
    create_profile(ada_gql, name="Me", chest=94)
    create_profile(ada_gql, name="Partner", bodyCategory="MEN", chest=104)
    variant = shop.variants[f"{shop.products[0].slug}:M"]
    payload = order_payload(ada, [(11, variant)])
    event = plugin_kit.emit("order_fulfilled", payload, channel="default-channel")
    plugin_kit.deliver()
    plugin_kit.redeliver(event, "fashionistar.measurements")
    plugin_kit.emit(
        "order_returned",
        {**payload, "lines": [{"line_id": 11, "quantity": 1}], "restocked": True},
        channel="default-channel",
    )
    plugin_kit.deliver()

    outcomes = list(
        FitOutcome.objects.order_by("pk").values_list("profile__name", "size_label", "outcome")
    )
    assert outcomes == [("Me", "M", "kept"), ("Me", "M", "returned")]


def test_a_page_of_recommendations_costs_the_same_queries_as_a_few(
    channel: Any, ada_gql: Any, create_profile: Any, shop_factory: Any
) -> None:
    from fashionistar_measurements.charts import ChartScope, import_chart
    from fashionistar_measurements.demo import APPAREL_CSV

    shop = shop_factory(channel, dresses=20, stocked=2)
    import_chart(scope=ChartScope(product_type_id=shop.dress.pk), name="D", csv_text=APPAREL_CSV)
    profile = create_profile(ada_gql, chest=94, waist=78, hips=100)["profile"]["id"]

    def count(first: int) -> int:
        with CaptureQueriesContext(connection) as queries:
            body = ada_gql(PRODUCTS, {"profile": profile, "first": first})
        edges = body["data"]["products"]["edges"]
        assert len(edges) == first
        assert all(e["node"]["sizeRecommendation"]["size"] == "M" for e in edges)
        return len(queries)

    def without(first: int) -> int:
        query = PRODUCTS.replace(
            "sizeRecommendation(profileId: $profile) {",
            "x: name @skip(if: true) sizeRecommendation(profileId: $profile) @skip(if: true) {",
        )
        with CaptureQueriesContext(connection) as queries:
            ada_gql(query, {"profile": profile, "first": first})
        return len(queries)

    assert count(5) == count(20)
    added = count(20) - without(20)
    assert added <= 10, f"sizeRecommendation added {added} queries"


@pytest.mark.parametrize("size", ["M"])
def test_recommendation_ids_point_to_the_variants_of_that_size(
    shop: Any, dress_chart: Any, ada_gql: Any, create_profile: Any, size: str
) -> None:
    profile = create_profile(ada_gql, chest=94, waist=78, hips=100)["profile"]["id"]
    body = ada_gql(PRODUCTS, {"profile": profile, "first": 1})

    node = body["data"]["products"]["edges"][0]["node"]
    variant = shop.variants[f"{shop.products[0].slug}:{size}"]
    assert node["sizeRecommendation"]["variantIds"] == [gid("ProductVariant", variant.pk)]
    assert node["sizeRecommendation"]["chart"] == {
        "name": "Dresses",
        "scope": "product_type",
        "sizes": ["XS", "S", "M", "L", "XL"],
    }
