"""Moderation by staff (GraphQL and dashboard, audited) and reports by customers."""

from __future__ import annotations

import pytest
from django.test import Client

from account.models import AuditEvent
from core.models import OutboxEvent
from plugins.reviews.models import Review, ReviewReport
from tests.plugins.reviews.conftest import CHANNEL, buy, client_for, deliver, gid
from tests.plugins.reviews.test_reviews import MODERATE, PRODUCT, create

pytestmark = pytest.mark.django_db

REPORT = """
mutation Report($id: ID!, $reason: String) {
  productReviewReport(id: $id, reason: $reason) { errors { field code message } reported }
}
"""

STAFF_LIST = """
query Reviews($status: ProductReviewStatus, $reported: Boolean) {
  productReviews(first: 20, status: $status, reported: $reported) {
    totalCount
    edges { node { title status reportCount } }
  }
}
"""


def test_staff_approve_a_pending_review_and_it_counts(
    shop, ada, ada_gql, moderator_gql, review_listener
):
    buy(shop, ada)
    review_id = create(ada_gql, shop, rating=5)["review"]["id"]

    pending = moderator_gql(STAFF_LIST, {"status": "PENDING"})["data"]["productReviews"]
    assert [e["node"]["title"] for e in pending["edges"]] == ["Lovely print"]
    result = moderator_gql(MODERATE, {"id": review_id, "action": "APPROVE", "note": "fine"})

    payload = result["data"]["productReviewModerate"]
    assert payload["errors"] == []
    assert payload["review"]["status"] == "PUBLISHED"
    assert payload["review"]["moderationNote"] == "fine"
    shown = ada_gql(PRODUCT, {"slug": shop.catalog.red_dress.slug})["data"]["product"]
    assert (shown["rating"], shown["reviewCount"]) == (5.0, 1)
    approved = OutboxEvent.objects.get(event_type="review_approved")
    assert approved.payload["review"]["status"] == "published"
    assert approved.channel_slug == CHANNEL
    deliver("review_approved")
    assert [kind for kind, _ in review_listener.seen] == ["review_approved"]


def test_rejecting_or_hiding_a_published_review_takes_it_off_the_rating(
    shop, ada, ada_gql, bola, moderator_gql, auto_publish
):
    buy(shop, ada)
    buy(shop, bola)
    first = create(ada_gql, shop, rating=5)["review"]["id"]
    create(client_for(bola), shop, rating=2, title="Too tight")

    moderator_gql(MODERATE, {"id": first, "action": "HIDE"})

    shown = ada_gql(PRODUCT, {"slug": shop.catalog.red_dress.slug})["data"]["product"]
    assert (shown["rating"], shown["reviewCount"]) == (2.0, 1)
    assert [e["node"]["title"] for e in shown["reviews"]["edges"]] == ["Too tight"]
    moderator_gql(MODERATE, {"id": first, "action": "REJECT"})
    assert Review.objects.get(pk=Review.objects.get(title="Lovely print").pk).status == "rejected"
    moderator_gql(MODERATE, {"id": first, "action": "APPROVE"})
    shown = ada_gql(PRODUCT, {"slug": shop.catalog.red_dress.slug})["data"]["product"]
    assert (shown["rating"], shown["reviewCount"]) == (3.5, 2)


def test_moderation_needs_the_permission(shop, ada, ada_gql, staff_gql, auto_publish):
    buy(shop, ada)
    review_id = create(ada_gql, shop)["review"]["id"]

    for client in (ada_gql, staff_gql()):
        result = client(MODERATE, {"id": review_id, "action": "HIDE"})
        assert [e["code"] for e in result["data"]["productReviewModerate"]["errors"]] == [
            "PERMISSION_DENIED"
        ]
    assert Review.objects.get().status == "published"


def test_moderation_is_audited(shop, ada, ada_gql, moderator, moderator_gql):
    buy(shop, ada)
    review_id = create(ada_gql, shop)["review"]["id"]

    moderator_gql(MODERATE, {"id": review_id, "action": "REJECT", "note": "off-topic"})

    entries = AuditEvent.objects.filter(content_type__app_label="reviews", actor=moderator)
    (entry,) = entries
    assert entry.changes["status"] == ["pending", "rejected"]
    assert entry.changes["moderation_note"] == ["", "off-topic"]


def test_a_customer_reports_a_review_once(shop, ada, ada_gql, bola, auto_publish, moderator_gql):
    buy(shop, ada)
    review_id = create(ada_gql, shop)["review"]["id"]
    bola_gql = client_for(bola)

    first = bola_gql(REPORT, {"id": review_id, "reason": "<b>spam</b>"})["data"]
    again = bola_gql(REPORT, {"id": review_id})["data"]
    own = ada_gql(REPORT, {"id": review_id})["data"]

    assert first["productReviewReport"] == {"errors": [], "reported": True}
    assert [e["code"] for e in again["productReviewReport"]["errors"]] == ["ALREADY_REPORTED"]
    assert [e["code"] for e in own["productReviewReport"]["errors"]] == ["OWN_REVIEW"]
    assert ReviewReport.objects.get().reason == "<b>spam</b>"
    reported = moderator_gql(STAFF_LIST, {"reported": True})["data"]["productReviews"]
    assert [e["node"]["reportCount"] for e in reported["edges"]] == [1]


def test_pending_or_hidden_reviews_cannot_be_reported(shop, ada, ada_gql, bola):
    buy(shop, ada)
    review_id = create(ada_gql, shop)["review"]["id"]

    result = client_for(bola)(REPORT, {"id": review_id})["data"]["productReviewReport"]

    assert [e["code"] for e in result["errors"]] == ["NOT_FOUND"]
    assert not ReviewReport.objects.exists()


def test_report_count_is_for_moderators_only(shop, ada, ada_gql, bola, auto_publish):
    buy(shop, ada)
    create(ada_gql, shop)
    query = """query($slug: String!) { product(slug: $slug, channel: "default-channel") {
      reviews(first: 5) { edges { node { reportCount moderationNote status } } } } }"""

    node = client_for(bola)(query, {"slug": shop.catalog.red_dress.slug})["data"]["product"]
    assert node["reviews"]["edges"][0]["node"] == {
        "reportCount": None,
        "moderationNote": None,
        "status": "PUBLISHED",
    }


def test_the_dashboard_lists_pending_and_reported_reviews_and_moderates_them(
    shop, ada, ada_gql, moderator
):
    buy(shop, ada)
    create(ada_gql, shop, title="<i>Waiting</i>")
    review = Review.objects.get()
    client = Client()
    client.force_login(moderator)

    listing = client.get("/dashboard/reviews/review/?status__exact=pending").content.decode()
    assert "&lt;i&gt;Waiting&lt;/i&gt;" in listing and "<i>Waiting</i>" not in listing
    response = client.post(
        "/dashboard/reviews/review/",
        {"action": "approve_selected", "_selected_action": [review.pk]},
    )

    assert response.status_code == 302
    review.refresh_from_db()
    assert review.status == "published" and review.moderated_by == moderator
    assert AuditEvent.objects.filter(content_type__app_label="reviews", actor=moderator).exists()
    shown = ada_gql(PRODUCT, {"slug": shop.catalog.red_dress.slug})["data"]["product"]
    assert shown["reviewCount"] == 1


def test_the_dashboard_is_closed_without_the_permission(shop, staff_user):
    client = Client()
    client.force_login(staff_user)
    assert client.get("/dashboard/reviews/review/").status_code in (302, 403)


def test_reviews_can_be_switched_off_in_a_channel(shop, ada, ada_gql, plugin_kit):
    plugin_kit.deactivate("fashionistar.reviews", CHANNEL)
    buy(shop, ada)

    payload = create(ada_gql, shop)

    assert [(e["field"], e["code"]) for e in payload["errors"]] == [("channel", "NOT_ENABLED")]


def test_a_review_needs_a_channel_when_several_are_active(shop, ada, ada_gql):
    buy(shop, ada)
    result = ada_gql(
        """mutation($input: ProductReviewCreateInput!) { productReviewCreate(input: $input) {
        errors { field code } } }""",
        {
            "input": {
                "product": gid("Product", shop.catalog.red_dress.pk),
                "rating": 3,
                "title": "ok",
            }
        },
    )
    assert [e["code"] for e in result["data"]["productReviewCreate"]["errors"]] == ["REQUIRED"]


def test_an_erased_customers_reviews_leave_the_rating(shop, ada, ada_gql, bola, auto_publish):
    from account.services import anonymize

    buy(shop, ada)
    buy(shop, bola)
    create(ada_gql, shop, rating=5)
    create(client_for(bola), shop, rating=1, title="No")

    anonymize(ada)
    deliver("customer_deleted")

    assert list(Review.objects.values_list("title", flat=True)) == ["No"]
    shown = ada_gql(PRODUCT, {"slug": shop.catalog.red_dress.slug})["data"]["product"]
    assert (shown["rating"], shown["reviewCount"]) == (1.0, 1)
