"""Writing reviews: verified purchase, one per customer, edits, bad input, photos, events."""

from __future__ import annotations

from typing import Any

import pytest

from plugins.reviews.models import Review, ReviewPhoto
from tests.plugins.reviews.conftest import CHANNEL, buy, client_for, deliver, gid, image_b64

pytestmark = pytest.mark.django_db

CREATE = """
mutation Create($input: ProductReviewCreateInput!, $channel: String) {
  productReviewCreate(input: $input, channel: $channel) {
    errors { field code message }
    review {
      id rating title text fit status verifiedPurchase author variantName
      photos { url width height }
    }
    product { rating reviewCount }
  }
}
"""

UPDATE = """
mutation Update($id: ID!, $input: ProductReviewUpdateInput!) {
  productReviewUpdate(id: $id, input: $input) {
    errors { field code message }
    review { rating title text fit status photos { width } }
    product { rating reviewCount }
  }
}
"""

DELETE = """
mutation Delete($id: ID!) {
  productReviewDelete(id: $id) { errors { field code } id product { rating reviewCount } }
}
"""

PRODUCT = """
query Product($slug: String!) {
  product(slug: $slug, channel: "default-channel") {
    rating reviewCount
    ratingSummary { average count histogram { rating count } }
    reviews(first: 10) {
      totalCount
      edges { node { title text rating author } }
    }
  }
}
"""


def review_input(shop: Any, **overrides: Any) -> dict:
    return {
        "product": gid("Product", shop.catalog.red_dress.pk),
        "rating": 4,
        "title": "Lovely print",
        "text": "The fabric is soft and the colours are bright.",
        "fit": "RUNS_SMALL",
        **overrides,
    }


def create(client: Any, shop: Any, **overrides: Any) -> dict:
    result = client(CREATE, {"input": review_input(shop, **overrides), "channel": CHANNEL})
    assert "errors" not in result, result
    return result["data"]["productReviewCreate"]


def test_a_customer_who_received_the_product_reviews_it(shop, ada, ada_gql, auto_publish):
    buy(shop, ada)

    payload = create(ada_gql, shop)

    assert payload["errors"] == []
    review = payload["review"]
    assert review["verifiedPurchase"] is True
    assert review["status"] == "PUBLISHED"
    assert (review["rating"], review["fit"], review["author"]) == (4, "RUNS_SMALL", "Ada O.")
    assert review["variantName"] == shop.catalog.variants["RD-M"].name
    assert payload["product"] == {"rating": 4.0, "reviewCount": 1}
    shown = ada_gql(PRODUCT, {"slug": shop.catalog.red_dress.slug})["data"]["product"]
    assert shown["reviews"]["totalCount"] == 1
    assert shown["reviews"]["edges"][0]["node"]["title"] == "Lovely print"


def test_new_reviews_wait_for_moderation_unless_the_channel_publishes_at_once(shop, ada, ada_gql):
    buy(shop, ada)

    payload = create(ada_gql, shop)

    assert payload["review"]["status"] == "PENDING"
    assert payload["product"] == {"rating": None, "reviewCount": 0}
    shown = ada_gql(PRODUCT, {"slug": shop.catalog.red_dress.slug})["data"]["product"]
    assert shown["reviews"] == {"totalCount": 0, "edges": []}


@pytest.mark.parametrize(
    ("overrides", "field", "code"),
    [
        ({"rating": 0}, "rating", "INVALID_RATING"),
        ({"rating": 6}, "rating", "INVALID_RATING"),
        ({"title": "   "}, "title", "REQUIRED"),
        ({"title": "x" * 201}, "title", "TOO_LONG"),
        ({"text": "x" * 5001}, "text", "TOO_LONG"),
        ({"photos": ["bm90IGFuIGltYWdl"]}, "photos", "NOT_AN_IMAGE"),
        ({"photos": ["%%%not base64%%%"]}, "photos", "INVALID"),
        ({"photos": ["x"]}, "photos", "INVALID"),
        ({"product": "UHJvZHVjdDo5OTk5OTk="}, "product", "NOT_FOUND"),
    ],
)
def test_bad_input_is_refused_with_a_typed_error_and_nothing_written(
    shop, ada, ada_gql, overrides, field, code
):
    buy(shop, ada)

    payload = create(ada_gql, shop, **overrides)

    assert [(e["field"], e["code"]) for e in payload["errors"]] == [(field, code)]
    assert payload["review"] is None
    assert not Review.objects.exists() and not ReviewPhoto.objects.exists()


def test_a_photo_that_is_too_big_or_too_small_is_refused(shop, ada, ada_gql, settings):
    from plugins.reviews import images

    buy(shop, ada)
    tiny = create(ada_gql, shop, photos=[image_b64((20, 20))])
    assert [(e["field"], e["code"]) for e in tiny["errors"]] == [("photos", "INVALID_DIMENSIONS")]
    huge_file = "A" * (images.MAX_PHOTO_BYTES * 4 // 3 + 400)
    huge = create(ada_gql, shop, photos=[huge_file])
    assert [(e["field"], e["code"]) for e in huge["errors"]] == [("photos", "TOO_LARGE")]
    many = create(ada_gql, shop, photos=[image_b64()] * (images.MAX_PHOTOS + 1))
    assert [(e["field"], e["code"]) for e in many["errors"]] == [("photos", "TOO_MANY")]
    gif = create(ada_gql, shop, photos=[image_b64(fmt="GIF")])
    assert [(e["field"], e["code"]) for e in gif["errors"]] == [("photos", "NOT_AN_IMAGE")]
    assert not Review.objects.exists() and not ReviewPhoto.objects.exists()


def test_photos_are_checked_by_content_and_stored(shop, ada, ada_gql, auto_publish):
    buy(shop, ada)

    payload = create(
        ada_gql,
        shop,
        photos=[f"data:image/png;base64,{image_b64((300, 200))}", image_b64((120, 90), "JPEG")],
    )

    assert payload["errors"] == []
    photos = payload["review"]["photos"]
    assert [(p["width"], p["height"]) for p in photos] == [(300, 200), (120, 90)]
    assert all(p["url"].startswith("http://testserver/media/reviews/") for p in photos)
    stored = list(ReviewPhoto.objects.order_by("sort_order"))
    assert stored[0].image.name.endswith(".png") and stored[1].image.name.endswith(".jpg")


def test_no_review_without_a_fulfilled_purchase(shop, ada, ada_gql, bola):
    payload = create(ada_gql, shop)
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [("product", "NOT_PURCHASED")]

    buy(shop, ada, fulfil=False)  # paid, not shipped yet
    payload = create(ada_gql, shop)
    assert [e["code"] for e in payload["errors"]] == ["NOT_PURCHASED"]

    buy(shop, bola)  # someone else's fulfilled order does not count
    payload = create(ada_gql, shop)
    assert [e["code"] for e in payload["errors"]] == ["NOT_PURCHASED"]
    assert not Review.objects.exists()


def test_one_review_per_product_per_customer(shop, ada, ada_gql, auto_publish):
    buy(shop, ada)
    buy(shop, ada, "RD-S")
    create(ada_gql, shop)

    again = create(ada_gql, shop, rating=1, title="Second try")

    assert [(e["field"], e["code"]) for e in again["errors"]] == [("product", "DUPLICATE_REVIEW")]
    assert list(Review.objects.values_list("rating", flat=True)) == [4]


def test_signed_out_visitors_cannot_review(shop, gql):
    result = gql(CREATE, {"input": review_input(shop), "channel": CHANNEL})
    assert [e["code"] for e in result["data"]["productReviewCreate"]["errors"]] == [
        "PERMISSION_DENIED"
    ]


def test_html_and_script_are_stored_verbatim_and_returned_as_data(
    shop, ada, ada_gql, auto_publish, moderator
):
    buy(shop, ada)
    text = '<script>alert("x")</script><b>bold</b> & "quotes"'

    payload = create(ada_gql, shop, title="<img src=x onerror=alert(1)>", text=text)

    assert payload["review"]["text"] == text
    review = Review.objects.get()
    assert review.text == text and review.title == "<img src=x onerror=alert(1)>"
    from django.test import Client

    client = Client()
    client.force_login(moderator)
    page = client.get(f"/dashboard/reviews/review/{review.pk}/change/").content.decode()
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert "<script>alert(" not in page


def test_the_author_edits_the_review_and_the_rating_follows(shop, ada, ada_gql, auto_publish):
    buy(shop, ada)
    review_id = create(ada_gql, shop, photos=[image_b64()])["review"]["id"]

    payload = ada_gql(
        UPDATE,
        {"id": review_id, "input": {"rating": 2, "fit": "TRUE_TO_SIZE", "photos": []}},
    )["data"]["productReviewUpdate"]

    assert payload["errors"] == []
    assert payload["review"]["rating"] == 2 and payload["review"]["fit"] == "TRUE_TO_SIZE"
    assert payload["review"]["title"] == "Lovely print"  # untouched
    assert payload["review"]["photos"] == []
    assert payload["product"] == {"rating": 2.0, "reviewCount": 1}
    bad = ada_gql(UPDATE, {"id": review_id, "input": {"rating": 9}})["data"]
    assert [e["code"] for e in bad["productReviewUpdate"]["errors"]] == ["INVALID_RATING"]
    assert Review.objects.get().rating == 2


def test_under_moderation_an_edited_review_waits_for_approval_again(
    shop, ada, ada_gql, moderator_gql
):
    buy(shop, ada)
    review_id = create(ada_gql, shop)["review"]["id"]
    moderator_gql(MODERATE, {"id": review_id, "action": "APPROVE"})

    payload = ada_gql(UPDATE, {"id": review_id, "input": {"text": "Changed my mind"}})

    assert payload["data"]["productReviewUpdate"]["review"]["status"] == "PENDING"
    assert payload["data"]["productReviewUpdate"]["product"] == {"rating": None, "reviewCount": 0}


def test_only_the_author_edits_or_deletes(shop, ada, ada_gql, bola, auto_publish):
    buy(shop, ada)
    review_id = create(ada_gql, shop)["review"]["id"]
    other = client_for(bola)

    edit = other(UPDATE, {"id": review_id, "input": {"rating": 1}})["data"]
    delete = other(DELETE, {"id": review_id})["data"]

    assert [e["code"] for e in edit["productReviewUpdate"]["errors"]] == ["NOT_FOUND"]
    assert [e["code"] for e in delete["productReviewDelete"]["errors"]] == ["NOT_FOUND"]
    assert Review.objects.get().rating == 4


def test_deleting_a_review_takes_it_out_of_the_rating(shop, ada, ada_gql, auto_publish):
    buy(shop, ada)
    review_id = create(ada_gql, shop)["review"]["id"]

    payload = ada_gql(DELETE, {"id": review_id})["data"]["productReviewDelete"]

    assert payload["errors"] == [] and payload["id"] == review_id
    assert payload["product"] == {"rating": None, "reviewCount": 0}
    assert not Review.objects.exists()


# -- events ---------------------------------------------------------------------------------------

MODERATE = """
mutation Moderate($id: ID!, $action: ProductReviewModerationAction!, $note: String) {
  productReviewModerate(id: $id, action: $action, note: $note) {
    errors { field code message }
    review { status moderationNote reportCount }
  }
}
"""


def test_review_created_carries_the_fit_and_the_variant(shop, ada, ada_gql, review_listener):
    from core.models import OutboxEvent

    order = buy(shop, ada)
    create(ada_gql, shop)

    event = OutboxEvent.objects.get(event_type="review_created")
    review = event.payload["review"]
    assert event.channel_slug == CHANNEL
    variant = shop.catalog.variants["RD-M"]
    assert review["fit"] == "runs_small" and review["rating"] == 4
    assert review["variant"] == {"id": variant.pk, "sku": "RD-M", "name": variant.name}
    assert review["order_line_id"] == order.lines.get().pk
    assert review["status"] == "pending" and review["verified_purchase"] is True
    assert not OutboxEvent.objects.filter(event_type="review_approved").exists()
    deliver("review_created")
    assert [kind for kind, _ in review_listener.seen] == ["review_created"]


def test_an_auto_published_review_is_created_and_approved(
    shop, ada, ada_gql, review_listener, auto_publish
):
    from core.models import OutboxEvent

    buy(shop, ada)
    create(ada_gql, shop)

    events = OutboxEvent.objects.filter(event_type__startswith="review_")
    assert sorted(e.event_type for e in events) == ["review_approved", "review_created"]
    assert {e.payload["review"]["status"] for e in events} == {"published"}


def test_the_measurements_plugin_takes_the_fit_as_size_feedback(shop, ada, ada_gql, plugin_kit):
    from fashionistar_measurements.charts import ChartScope, import_chart
    from fashionistar_measurements.demo import APPAREL_CSV
    from fashionistar_measurements.models import FitOutcome, MeasurementProfile

    import_chart(
        scope=ChartScope(product_type_id=shop.catalog.dress.pk),
        name="Dresses",
        csv_text=APPAREL_CSV,
    )
    profile = MeasurementProfile.objects.create(user_id=ada.pk, name="Me", body_category="women")
    order = buy(shop, ada)
    create(ada_gql, shop, fit="RUNS_SMALL")

    (event,) = deliver("review_created")
    plugin_kit.redeliver(event.id, "fashionistar.measurements")  # records nothing more

    outcome = FitOutcome.objects.get(
        profile=profile, order_line_id=order.lines.get().pk, outcome="too_small"
    )
    assert (outcome.size_label, outcome.product_id) == ("M", shop.catalog.red_dress.pk)
