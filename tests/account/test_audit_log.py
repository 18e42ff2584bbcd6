"""The audit log: staff writes through GraphQL and the dashboard, append-only, queryable."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client

from account.models import AuditEvent, User
from core.permissions import Perm
from tests.account.conftest import PASSWORD
from tests.conftest import grant

CUSTOMER_UPDATE = """
mutation($id: ID!, $input: CustomerInput!) {
  customerUpdate(id: $id, input: $input) { user { firstName } errors { field code } }
}
"""
EVENTS = """
query($filter: AuditEventFilterInput, $first: Int) {
  auditEvents(filter: $filter, first: $first) {
    totalCount
    edges { node {
      actor { email } actorEmail action objectType objectId objectRepr changes
      ipAddress userAgent requestId createdAt
    } }
  }
}
"""


def user_gid(user):
    import graphene

    return graphene.relay.Node.to_global_id("User", user.pk)


@pytest.mark.django_db
def test_a_staff_mutation_authenticated_by_jwt_is_recorded_with_its_context(staff, alice):
    member = staff(Perm.MANAGE_USERS, email="ops@example.com")

    result = member(
        CUSTOMER_UPDATE,
        {"id": user_gid(alice.user), "input": {"firstName": "Alicia"}},
        HTTP_USER_AGENT="dashboard-app/2.1",
        HTTP_X_REQUEST_ID="req-audit-000123",
        REMOTE_ADDR="203.0.113.9",
    )
    assert result["data"]["customerUpdate"]["errors"] == []

    event = AuditEvent.objects.get(object_pk=str(alice.user.pk))
    assert event.actor == member.user
    assert event.actor_email == "ops@example.com"
    assert event.action == AuditEvent.Action.UPDATE
    assert (event.content_type.app_label, event.content_type.model) == ("account", "user")
    assert event.changes == {"first_name": ["Alice", "Alicia"]}
    assert event.remote_addr == "203.0.113.9"
    assert event.user_agent == "dashboard-app/2.1"
    assert event.cid == "req-audit-000123"


@pytest.mark.django_db
def test_secrets_are_masked(staff):
    member = staff()

    result = member(
        f'mutation {{ passwordChange(oldPassword: "{PASSWORD}", '
        'newPassword: "Another-Secret-99") { errors { code } } }'
    )
    assert result["data"]["passwordChange"]["errors"] == []

    event = AuditEvent.objects.get(object_pk=str(member.user.pk))
    assert event.changes == {
        "password": ["********", "********"],
        "jwt_token_key": ["********", "********"],
    }
    assert "Another-Secret" not in str(event.serialized_data)


@pytest.mark.django_db
def test_customers_own_writes_and_sign_ins_are_not_staff_actions(alice, gql):
    alice('mutation { accountUpdate(input: {firstName: "Al"}) { errors { code } } }')
    gql(
        'mutation { accountRegister(input: {email: "new@example.com", password: "Correct-Horse-77"}) { errors { code } } }'
    )

    assert not AuditEvent.objects.exists()


@pytest.mark.django_db
def test_group_changes_record_the_permissions_added(staff):
    member = staff(Perm.MANAGE_STAFF, Perm.MANAGE_USERS)

    result = member(
        'mutation { permissionGroupCreate(input: {name: "Support", addPermissions: [MANAGE_USERS]})'
        " { group { name } errors { code } } }"
    )
    assert result["data"]["permissionGroupCreate"]["errors"] == []

    events = AuditEvent.objects.filter(content_type__model="group").order_by("pk")
    assert [e.action for e in events] == [AuditEvent.Action.CREATE, AuditEvent.Action.UPDATE]
    assert events[0].changes["name"] == [None, "Support"]
    assert events[1].changes == {
        "permissions": {
            "type": "m2m",
            "operation": "add",
            "objects": ["Account | user | Manage customers."],
        }
    }
    assert {e.actor_id for e in events} == {member.user.pk}


@pytest.mark.django_db
def test_dashboard_edits_are_recorded(alice, staff_user):
    editor = grant(staff_user, Perm.MANAGE_USERS)
    client = Client(HTTP_USER_AGENT="Firefox/140", REMOTE_ADDR="198.51.100.4")
    client.force_login(editor)

    response = client.post(
        f"/dashboard/account/user/{alice.user.pk}/change/",
        {
            "email": "alice@example.com",
            "phone": "",
            "first_name": "Alice",
            "last_name": "Okafor",
            "is_active": "on",
            "is_confirmed": "on",
        },
        HTTP_X_REQUEST_ID="req-dashboard-42",
    )

    assert response.status_code == 302, response.content[:2000]
    event = AuditEvent.objects.get(object_pk=str(alice.user.pk))
    assert event.actor == editor
    assert event.changes == {"last_name": ["", "Okafor"]}
    assert (event.remote_addr, event.user_agent, event.cid) == (
        "198.51.100.4",
        "Firefox/140",
        "req-dashboard-42",
    )


@pytest.mark.embedded
@pytest.mark.django_db
def test_the_log_is_append_only(staff, alice):
    member = staff(Perm.MANAGE_USERS)
    member(CUSTOMER_UPDATE, {"id": user_gid(alice.user), "input": {"lastName": "O"}})
    event = AuditEvent.objects.get()

    event.object_repr = "forged"
    with pytest.raises(PermissionDenied):
        event.save()
    with pytest.raises(PermissionDenied):
        event.delete()
    with pytest.raises(PermissionDenied):
        AuditEvent.objects.filter(pk=event.pk).update(object_repr="forged")
    with pytest.raises(PermissionDenied):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get().object_repr == str(alice.user)


@pytest.mark.django_db
def test_not_even_a_superuser_can_change_or_delete_entries_in_the_dashboard(staff, alice):
    member = staff(Perm.MANAGE_USERS)
    member(CUSTOMER_UPDATE, {"id": user_gid(alice.user), "input": {"lastName": "O"}})
    event = AuditEvent.objects.get()
    root = User.objects.create_superuser(email="root@example.com", password="x")
    client = Client()
    client.force_login(root)

    listing = client.get("/dashboard/account/auditevent/")
    assert listing.status_code == 200
    assert b"alice@example.com" in listing.content
    assert b'name="action"' not in listing.content  # no bulk actions, so no bulk delete
    assert client.get(f"/dashboard/account/auditevent/{event.pk}/change/").status_code == 200
    assert (
        client.post(
            f"/dashboard/account/auditevent/{event.pk}/delete/", {"post": "yes"}
        ).status_code
        == 403
    )
    assert client.post(f"/dashboard/account/auditevent/{event.pk}/change/", {}).status_code == 403
    assert client.get("/dashboard/account/auditevent/add/").status_code == 403
    assert AuditEvent.objects.filter(pk=event.pk).exists()


@pytest.mark.django_db
def test_staff_without_the_permission_cannot_browse_the_log(staff_user):
    client = Client()
    client.force_login(staff_user)
    assert client.get("/dashboard/account/auditevent/").status_code == 403


@pytest.mark.django_db
def test_audit_events_query_filters(staff, alice, bob):
    writer = staff(Perm.MANAGE_USERS, email="writer@example.com")
    reader = staff(Perm.VIEW_AUDIT_LOG, email="reader@example.com")
    writer(CUSTOMER_UPDATE, {"id": user_gid(alice.user), "input": {"lastName": "A"}})
    writer(CUSTOMER_UPDATE, {"id": user_gid(bob.user), "input": {"lastName": "B"}})
    writer(
        "mutation($id: ID!) { customerDelete(id: $id) { errors { code } } }",
        {"id": user_gid(bob.user)},
    )

    everything = reader(EVENTS)["data"]["auditEvents"]
    assert everything["totalCount"] == AuditEvent.objects.count() >= 3
    newest = everything["edges"][0]["node"]
    assert newest["actor"] == {"email": "writer@example.com"}
    assert newest["objectType"] == "account.user"

    about_alice = reader(
        EVENTS, {"filter": {"object": {"type": "account.user", "id": str(alice.user.pk)}}}
    )["data"]["auditEvents"]
    assert [e["node"]["changes"] for e in about_alice["edges"]] == [{"last_name": ["", "A"]}]

    by_reader = reader(EVENTS, {"filter": {"actor": user_gid(reader.user)}})
    assert by_reader["data"]["auditEvents"]["totalCount"] == 0
    updates = reader(
        EVENTS, {"filter": {"action": "UPDATE", "dateRange": {"gte": "2000-01-01T00:00:00+00:00"}}}
    )
    assert updates["data"]["auditEvents"]["totalCount"] >= 2
    future = reader(EVENTS, {"filter": {"dateRange": {"gte": "2999-01-01T00:00:00+00:00"}}})
    assert future["data"]["auditEvents"]["totalCount"] == 0


@pytest.mark.django_db
def test_audit_events_need_the_permission(staff, alice):
    result = staff(Perm.MANAGE_USERS)(EVENTS)
    assert result["data"] == {"auditEvents": None}
    assert result["errors"][0]["extensions"]["code"] == "PERMISSION_DENIED"
    assert alice(EVENTS)["errors"][0]["extensions"]["code"] == "PERMISSION_DENIED"


@pytest.mark.django_db
def test_entries_outlive_their_actor(staff, alice):
    writer = staff(Perm.MANAGE_USERS, email="leaver@example.com")
    lead = staff(Perm.MANAGE_STAFF, Perm.MANAGE_USERS)
    writer(CUSTOMER_UPDATE, {"id": user_gid(alice.user), "input": {"lastName": "O"}})

    deleted = lead(
        "mutation($id: ID!) { staffDelete(id: $id) { errors { code } } }",
        {"id": user_gid(writer.user)},
    )

    assert deleted["data"]["staffDelete"]["errors"] == []
    event = AuditEvent.objects.get(object_pk=str(alice.user.pk))
    assert (event.actor, event.actor_email) == (None, "leaver@example.com")
    deletion = AuditEvent.objects.get(
        object_pk=str(writer.user.pk), action=AuditEvent.Action.DELETE
    )
    assert deletion.actor == lead.user
