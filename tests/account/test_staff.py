"""Staff GraphQL: customers, staff users, permission groups and the scope of what staff grant."""

from __future__ import annotations

import graphene
import pytest
from django.contrib.auth.models import Group, Permission

from account.models import User
from core.permissions import Perm
from tests.account.conftest import TOKEN_CREATE, sent_token

CUSTOMERS = """
query($search: String, $first: Int, $after: String) {
  customers(filter: {search: $search}, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { node { email firstName isStaff addresses { city } } }
  }
}
"""
STAFF_USERS = "{ staffUsers(first: 10) { edges { node { email userPermissions { code } permissionGroups { name } } } } }"
GROUP_CREATE = """
mutation($input: PermissionGroupCreateInput!) {
  permissionGroupCreate(input: $input) {
    group { id name permissions { code } users { email } } errors { field code message }
  }
}
"""
GROUP_UPDATE = """
mutation($id: ID!, $input: PermissionGroupUpdateInput!) {
  permissionGroupUpdate(id: $id, input: $input) {
    group { name permissions { code } users { email } } errors { field code }
  }
}
"""
STAFF_CREATE = """
mutation($input: StaffCreateInput!) {
  staffCreate(input: $input) { user { id email isStaff permissionGroups { name } } errors { field code } }
}
"""
STAFF_UPDATE = """
mutation($id: ID!, $input: StaffUpdateInput!) {
  staffUpdate(id: $id, input: $input) { user { isActive permissionGroups { name } } errors { field code } }
}
"""


def gid(kind, pk):
    return graphene.relay.Node.to_global_id(kind, pk)


def make_group(name, *perms):
    group = Group.objects.create(name=name)
    for perm in perms:
        app_label, codename = perm.split(".")
        group.permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    return group


@pytest.mark.django_db
def test_customers_list_is_paginated_and_searchable(staff, person):
    for i in range(5):
        person(f"buyer{i}@example.com", first_name=f"Buyer{i}")
    member = staff(Perm.MANAGE_USERS)

    page = member(CUSTOMERS, {"first": 3})["data"]["customers"]
    assert page["totalCount"] == 5
    assert len(page["edges"]) == 3 and page["pageInfo"]["hasNextPage"]
    rest = member(CUSTOMERS, {"first": 3, "after": page["pageInfo"]["endCursor"]})["data"]
    assert len(rest["customers"]["edges"]) == 2
    assert all(not e["node"]["isStaff"] for e in page["edges"] + rest["customers"]["edges"])
    found = member(CUSTOMERS, {"search": "buyer3"})["data"]["customers"]["edges"]
    assert [e["node"]["email"] for e in found] == ["buyer3@example.com"]


@pytest.mark.django_db
def test_staff_without_the_permission_gets_an_error_not_an_empty_list(staff, person):
    person("buyer@example.com")
    result = staff(Perm.MANAGE_STAFF)(CUSTOMERS)

    assert result["data"] == {"customers": None}
    assert result["errors"][0]["extensions"]["code"] == "PERMISSION_DENIED"
    assert "MANAGE_USERS" in result["errors"][0]["message"]


@pytest.mark.django_db
def test_customer_create_sends_a_set_password_link(staff, gql, plugin_kit, mailoutbox):
    member = staff(Perm.MANAGE_USERS)

    created = member(
        'mutation { customerCreate(input: {email: "new@example.com", firstName: "Nkem", '
        'redirectUrl: "http://localhost/set"}) { user { email isActive } errors { code } } }'
    )
    assert created["data"]["customerCreate"] == {
        "user": {"email": "new@example.com", "isActive": True},
        "errors": [],
    }
    plugin_kit.deliver()
    token = sent_token(mailoutbox[-1])
    result = gql(
        'mutation($t: String!) { setPassword(email: "new@example.com", token: $t, '
        'password: "Fresh-Start-2024") { token errors { code } } }',
        {"t": token},
    )
    assert result["data"]["setPassword"]["errors"] == []
    signed_in = gql(TOKEN_CREATE, {"email": "new@example.com", "password": "Fresh-Start-2024"})
    assert signed_in["data"]["tokenCreate"]["errors"] == []


@pytest.mark.django_db
def test_customer_update_and_delete(staff, alice):
    member = staff(Perm.MANAGE_USERS)
    target = gid("User", alice.user.pk)

    dup = member(
        'mutation($id: ID!) { customerUpdate(id: $id, input: {phone: "12"}) { errors { field code } } }',
        {"id": target},
    )
    assert dup["data"]["customerUpdate"]["errors"] == [{"field": "phone", "code": "INVALID_PHONE"}]
    deleted = member(
        "mutation($id: ID!) { customerDelete(id: $id) { errors { code } } }", {"id": target}
    )
    assert deleted["data"]["customerDelete"]["errors"] == []
    assert User.objects.get(pk=alice.user.pk).anonymized_at is not None


@pytest.mark.django_db
def test_customer_mutations_cannot_touch_staff(staff):
    member = staff(Perm.MANAGE_USERS)
    colleague = staff(Perm.MANAGE_STAFF)

    result = member(
        "mutation($id: ID!) { customerDelete(id: $id) { errors { code } } }",
        {"id": gid("User", colleague.user.pk)},
    )
    assert result["data"]["customerDelete"]["errors"] == [{"code": "NOT_FOUND"}]
    assert User.objects.get(pk=colleague.user.pk).anonymized_at is None


@pytest.mark.django_db
def test_permission_groups_cannot_grant_more_than_the_granter_holds(staff):
    lead = staff(Perm.MANAGE_STAFF, Perm.MANAGE_USERS, email="lead@example.com")
    helper = staff(email="helper@example.com")

    too_much = lead(
        GROUP_CREATE, {"input": {"name": "Plugins", "addPermissions": ["MANAGE_PLUGINS"]}}
    )
    assert (
        too_much["data"]["permissionGroupCreate"]["errors"][0]["code"] == "OUT_OF_SCOPE_PERMISSION"
    )
    assert not Group.objects.exists()

    ok = lead(
        GROUP_CREATE,
        {
            "input": {
                "name": "Support",
                "addPermissions": ["MANAGE_USERS"],
                "addUsers": [gid("User", helper.user.pk)],
            }
        },
    )["data"]["permissionGroupCreate"]
    assert ok["errors"] == []
    assert ok["group"]["permissions"] == [{"code": "MANAGE_USERS"}]
    assert ok["group"]["users"] == [{"email": "helper@example.com"}]
    assert User.objects.get(pk=helper.user.pk).has_perm(Perm.MANAGE_USERS.value)

    plugins = make_group("Plugin admins", Perm.MANAGE_PLUGINS.value)
    touch = lead(GROUP_UPDATE, {"id": gid("Group", plugins.pk), "input": {"name": "Mine"}})
    assert touch["data"]["permissionGroupUpdate"]["errors"] == [
        {"field": "id", "code": "OUT_OF_SCOPE_GROUP"}
    ]
    deleted = lead(
        "mutation($id: ID!) { permissionGroupDelete(id: $id) { errors { code } } }",
        {"id": gid("Group", plugins.pk)},
    )
    assert deleted["data"]["permissionGroupDelete"]["errors"] == [{"code": "OUT_OF_SCOPE_GROUP"}]
    assert Group.objects.filter(pk=plugins.pk, name="Plugin admins").exists()


@pytest.mark.django_db
def test_only_staff_join_groups(staff, alice):
    lead = staff(Perm.MANAGE_STAFF)
    result = lead(
        GROUP_CREATE, {"input": {"name": "Oops", "addUsers": [gid("User", alice.user.pk)]}}
    )
    assert result["data"]["permissionGroupCreate"]["errors"][0]["code"] == "ASSIGN_NON_STAFF_MEMBER"


@pytest.mark.django_db
def test_group_update_adds_and_removes(staff):
    lead = staff(Perm.MANAGE_STAFF, Perm.MANAGE_USERS, Perm.VIEW_AUDIT_LOG)
    group = make_group("Support", Perm.MANAGE_USERS.value)

    result = lead(
        GROUP_UPDATE,
        {
            "id": gid("Group", group.pk),
            "input": {
                "name": "Care",
                "addPermissions": ["VIEW_AUDIT_LOG"],
                "removePermissions": ["MANAGE_USERS"],
            },
        },
    )["data"]["permissionGroupUpdate"]
    assert result == {
        "group": {"name": "Care", "permissions": [{"code": "VIEW_AUDIT_LOG"}], "users": []},
        "errors": [],
    }
    listed = lead("{ permissionGroups(first: 5) { totalCount edges { node { name } } } }")
    assert listed["data"]["permissionGroups"]["edges"] == [{"node": {"name": "Care"}}]


@pytest.mark.django_db
def test_staff_create_update_delete_within_scope(staff, plugin_kit, mailoutbox):
    lead = staff(Perm.MANAGE_STAFF, Perm.MANAGE_USERS, email="lead@example.com")
    support = make_group("Support", Perm.MANAGE_USERS.value)
    plugins = make_group("Plugin admins", Perm.MANAGE_PLUGINS.value)

    refused = lead(
        STAFF_CREATE, {"input": {"email": "x@example.com", "addGroups": [gid("Group", plugins.pk)]}}
    )
    assert refused["data"]["staffCreate"]["errors"] == [
        {"field": "addGroups", "code": "OUT_OF_SCOPE_GROUP"}
    ]
    assert not User.objects.filter(email="x@example.com").exists()

    created = lead(
        STAFF_CREATE,
        {
            "input": {
                "email": "agent@example.com",
                "addGroups": [gid("Group", support.pk)],
                "redirectUrl": "http://localhost/set",
            }
        },
    )["data"]["staffCreate"]
    assert created["errors"] == []
    assert created["user"]["isStaff"] is True
    assert created["user"]["permissionGroups"] == [{"name": "Support"}]
    plugin_kit.deliver()
    assert mailoutbox[-1].to == ["agent@example.com"]
    assert mailoutbox[-1].subject == "Set the password of your new account"

    agent_id = created["user"]["id"]
    updated = lead(
        STAFF_UPDATE,
        {"id": agent_id, "input": {"isActive": False, "removeGroups": [gid("Group", support.pk)]}},
    )
    assert updated["data"]["staffUpdate"] == {
        "user": {"isActive": False, "permissionGroups": []},
        "errors": [],
    }
    self_off = lead(STAFF_UPDATE, {"id": gid("User", lead.user.pk), "input": {"isActive": False}})
    assert self_off["data"]["staffUpdate"]["errors"] == [
        {"field": "isActive", "code": "DEACTIVATE_OWN_ACCOUNT"}
    ]

    boss = staff(Perm.MANAGE_PLUGINS, Perm.MANAGE_STAFF, email="boss@example.com")
    out_of_scope = lead(
        "mutation($id: ID!) { staffDelete(id: $id) { errors { code } } }",
        {"id": gid("User", boss.user.pk)},
    )
    assert out_of_scope["data"]["staffDelete"]["errors"] == [{"code": "OUT_OF_SCOPE_USER"}]
    removed = lead(
        "mutation($id: ID!) { staffDelete(id: $id) { errors { code } } }", {"id": agent_id}
    )
    assert removed["data"]["staffDelete"]["errors"] == []
    assert not User.objects.filter(email="agent@example.com").exists()


@pytest.mark.django_db
def test_staff_users_and_user_queries(staff, alice):
    lead = staff(Perm.MANAGE_STAFF, email="lead@example.com")

    listed = lead(STAFF_USERS)["data"]["staffUsers"]["edges"]
    assert listed == [
        {
            "node": {
                "email": "lead@example.com",
                "userPermissions": [{"code": "MANAGE_STAFF"}],
                "permissionGroups": [],
            }
        }
    ]
    own = lead("query($id: ID!) { user(id: $id) { email } }", {"id": gid("User", lead.user.pk)})
    assert own["data"]["user"] == {"email": "lead@example.com"}
    customer = lead(
        "query($id: ID!) { user(id: $id) { email } }", {"id": gid("User", alice.user.pk)}
    )
    assert customer["errors"][0]["extensions"]["code"] == "PERMISSION_DENIED"


@pytest.mark.django_db
def test_staff_list_queries_do_not_grow_with_the_page(staff, person):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    lead = staff(Perm.MANAGE_STAFF, Perm.MANAGE_USERS)
    group = make_group("Support", Perm.MANAGE_USERS.value)
    query = (
        "{ staffUsers(first: 50) { edges { node { email userPermissions { code } "
        "permissionGroups { name permissions { code } } addresses { city } "
        "defaultShippingAddress { city } } } } }"
    )

    def count() -> int:
        token = lead.token
        with CaptureQueriesContext(connection) as captured:
            result = lead.gql(query, HTTP_AUTHORIZATION=f"Bearer {token}")
        assert "errors" not in result, result
        return len(captured)

    for i in range(2):
        person(f"s{i}@example.com", is_staff=True).user.groups.add(group)
    few = count()
    for i in range(2, 10):
        person(f"s{i}@example.com", is_staff=True).user.groups.add(group)
    assert count() == few
