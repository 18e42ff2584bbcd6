"""Measurement profiles: create, validate, units, estimate, ownership, erasure."""

from __future__ import annotations

from typing import Any

import pytest
from fashionistar_measurements.models import MeasurementProfile

ME = "{ me { measurementProfiles { id name chest values { dimension source } } } }"
UPDATE = """
mutation($id: ID!, $input: MeasurementProfileInput!) {
  measurementProfileUpdate(id: $id, input: $input) {
    profile { id chest waist } errors { field code message }
  }
}
"""
DELETE = "mutation($id: ID!) { measurementProfileDelete(id: $id) { id errors { field code } } }"
ESTIMATE = """
mutation($input: MeasurementEstimateInput!) {
  measurementEstimate(input: $input) {
    profile { id chest values { dimension value source estimated confidence margin } }
    values { dimension value source estimated confidence }
    errors { field code message }
  }
}
"""


def test_a_customer_keeps_several_profiles_and_sees_only_their_own(
    ada_gql: Any, make_user: Any, as_user: Any, create_profile: Any
) -> None:
    mine = create_profile(ada_gql, name="Me", chest=92, waist=76, hips=100)
    create_profile(ada_gql, name="Tunde", bodyCategory="MEN", chest=104)
    eve = as_user(make_user("eve@example.com"))
    create_profile(eve, name="Eve", chest=88)

    profiles = ada_gql(ME)["data"]["me"]["measurementProfiles"]

    assert mine["errors"] == []
    assert [p["name"] for p in profiles] == ["Me", "Tunde"]
    assert profiles[0]["chest"] == 92.0
    assert {v["source"] for v in profiles[0]["values"]} == {"user"}


def test_inches_are_stored_once_and_shown_in_the_preferred_unit(
    ada_gql: Any, create_profile: Any
) -> None:
    created = create_profile(ada_gql, unit="IN", chest=36, height=65, weight=130)

    profile = MeasurementProfile.objects.get()
    assert [str(v) for v in (profile.chest, profile.height, profile.weight)] == [
        "91.4",
        "165.1",
        "59.0",
    ]
    assert created["profile"]["chest"] == 36.0
    assert created["profile"]["unit"] == "in"


@pytest.mark.parametrize(
    ("fields", "field", "code"),
    [
        ({"height": 300}, "height", "OUT_OF_RANGE"),
        ({"chest": 12}, "chest", "OUT_OF_RANGE"),
        ({"bodyCategory": "GIRLS", "age": 30}, "age", "OUT_OF_RANGE"),
        ({"height": 160, "weight": 240}, "weight", "IMPOSSIBLE"),
        ({"height": 160, "inseam": 100}, "inseam", "IMPOSSIBLE"),
        ({"hips": 60, "waist": 125}, "waist", "IMPOSSIBLE"),
        ({"name": ""}, "name", "REQUIRED"),
    ],
)
def test_implausible_bodies_are_refused_naming_the_field(
    ada_gql: Any, create_profile: Any, fields: dict, field: str, code: str
) -> None:
    result = create_profile(ada_gql, **fields)

    assert result["profile"] is None
    assert [(e["field"], e["code"]) for e in result["errors"]] == [(field, code)]
    assert (
        field.replace("_", " ").lower() in result["errors"][0]["message"].lower()
        or code != "OUT_OF_RANGE"
    )
    assert not MeasurementProfile.objects.exists()


def test_signed_out_shoppers_cannot_create_profiles(anon_gql: Any, create_profile: Any) -> None:
    result = create_profile(anon_gql)

    assert result["errors"][0]["code"] == "PERMISSION_DENIED"
    assert not MeasurementProfile.objects.exists()


def test_nobody_else_can_change_or_delete_a_profile(
    ada_gql: Any, make_user: Any, as_user: Any, create_profile: Any
) -> None:
    profile_id = create_profile(ada_gql, chest=92)["profile"]["id"]
    eve = as_user(make_user("eve@example.com"))

    changed = eve(UPDATE, {"id": profile_id, "input": {"chest": 120}})
    deleted = eve(DELETE, {"id": profile_id})

    assert changed["data"]["measurementProfileUpdate"]["errors"][0]["code"] == "NOT_FOUND"
    assert deleted["data"]["measurementProfileDelete"]["errors"][0]["code"] == "NOT_FOUND"
    assert MeasurementProfile.objects.get().chest == 92


def test_the_owner_updates_and_deletes(ada_gql: Any, create_profile: Any) -> None:
    profile_id = create_profile(ada_gql, chest=92, waist=76)["profile"]["id"]

    updated = ada_gql(UPDATE, {"id": profile_id, "input": {"chest": 94, "waist": None}})
    assert updated["data"]["measurementProfileUpdate"]["profile"] == {
        "id": profile_id,
        "chest": 94.0,
        "waist": None,
    }
    assert ada_gql(DELETE, {"id": profile_id})["data"]["measurementProfileDelete"]["errors"] == []
    assert not MeasurementProfile.objects.exists()


def test_staff_read_measurements_only_with_the_permission(
    ada: Any, ada_gql: Any, make_user: Any, as_user: Any, create_profile: Any
) -> None:
    create_profile(ada_gql, chest=92)
    query = "{ customers(first: 5) { edges { node { email measurementProfiles { chest } } } } }"
    plain = as_user(make_user("s1@example.com", "account.manage_users", is_staff=True))
    allowed = as_user(
        make_user(
            "s2@example.com",
            "account.manage_users",
            "fashionistar_measurements.view_body_measurements",
            is_staff=True,
        )
    )

    def seen(client: Any) -> list:
        edges = client(query)["data"]["customers"]["edges"]
        return [e["node"]["measurementProfiles"] for e in edges if e["node"]["email"] == ada.email]

    assert seen(plain) == [[]]
    assert seen(allowed) == [[{"chest": 92.0}]]


def test_estimate_fills_missing_values_marked_estimated_and_keeps_typed_ones(
    ada_gql: Any, create_profile: Any
) -> None:
    profile_id = create_profile(ada_gql, height=165, weight=60, age=30, chest=95)["profile"]["id"]

    result = ada_gql(ESTIMATE, {"input": {"profileId": profile_id}})["data"]["measurementEstimate"]

    assert result["errors"] == []
    values = {v["dimension"]: v for v in result["profile"]["values"]}
    assert values["chest"]["value"] == 95.0 and values["chest"]["source"] == "user"
    waist = values["waist"]
    assert waist["estimated"] and waist["source"] == "estimated"
    assert 70 < waist["value"] < 90
    assert 0.5 < waist["confidence"] < 1 and waist["margin"] > 0


def test_estimate_without_a_profile_writes_nothing(ada_gql: Any) -> None:
    result = ada_gql(
        ESTIMATE, {"input": {"bodyCategory": "MEN", "height": 180, "weight": 80, "age": 40}}
    )["data"]["measurementEstimate"]

    assert result["errors"] == []
    chest = next(v for v in result["values"] if v["dimension"] == "chest")
    assert 95 < chest["value"] < 110 and chest["estimated"]
    assert not MeasurementProfile.objects.exists()


def test_estimate_refuses_an_impossible_body(ada_gql: Any) -> None:
    result = ada_gql(ESTIMATE, {"input": {"bodyCategory": "MEN", "height": 180, "weight": 900}})

    assert result["data"]["measurementEstimate"]["errors"][0]["field"] == "weight"


def test_a_body_scanning_provider_supplies_values_with_their_source(
    plugin_kit: Any, ada_gql: Any, create_profile: Any
) -> None:
    from core.plugins import BasePlugin, hookimpl

    class Scanner(BasePlugin):
        id = "test.bodyscan"
        name = "Body scanner (test)"
        per_channel = False
        default_active = True

        @hookimpl
        def estimate_measurements(self, media: Any, body_category: str, config: Any) -> dict:
            return {
                "provider": "bodyscan",
                "measurements": {"waist": {"value": 71.2, "confidence": 0.95}},
            }

    plugin_kit.register(Scanner())
    profile_id = create_profile(ada_gql, height=165, weight=60)["profile"]["id"]

    result = ada_gql(
        ESTIMATE,
        {"input": {"profileId": profile_id, "media": [{"url": "https://scan.example/p.jpg"}]}},
    )["data"]["measurementEstimate"]

    values = {v["dimension"]: v for v in result["profile"]["values"]}
    assert values["waist"]["value"] == 71.2
    assert values["waist"]["source"] == "provider:bodyscan"
    assert values["hips"]["source"] == "estimated"


def test_measurements_are_erased_with_the_account(
    plugin_kit: Any, ada: Any, ada_gql: Any, create_profile: Any
) -> None:
    from account.services.profile import anonymize

    create_profile(ada_gql, chest=92)
    anonymize(ada)
    plugin_kit.deliver()

    assert not MeasurementProfile.objects.filter(user_id=ada.pk).exists()


def test_a_hard_deleted_user_leaves_no_measurements(
    ada: Any, ada_gql: Any, create_profile: Any
) -> None:
    create_profile(ada_gql, chest=92)
    ada.delete()

    assert not MeasurementProfile.objects.exists()


def test_signed_out_callers_are_refused_before_any_id_is_read(anon_gql: Any) -> None:
    body = anon_gql(UPDATE, {"id": "not-an-id", "input": {"chest": 90}})

    assert body["data"]["measurementProfileUpdate"]["errors"][0]["code"] == "PERMISSION_DENIED"
