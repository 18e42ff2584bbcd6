"""The account pages of the dashboard: who sees what, and granting stays within scope."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client

from account.models import User
from core.permissions import Perm
from tests.account.conftest import make_user
from tests.conftest import grant


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def perm_row(value: str) -> Permission:
    app_label, codename = value.split(".")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


@pytest.mark.django_db
def test_user_pages_follow_our_permissions(staff_user):
    make_user("buyer@example.com")
    colleague = make_user("colleague@example.com", is_staff=True)

    assert client_for(staff_user).get("/dashboard/account/user/").status_code == 403
    support = client_for(grant(staff_user, Perm.MANAGE_USERS))
    listing = support.get("/dashboard/account/user/")
    assert listing.status_code == 200
    assert b"buyer@example.com" in listing.content
    assert b"colleague@example.com" not in listing.content
    assert support.get(f"/dashboard/account/user/{colleague.pk}/change/").status_code == 302
    assert support.get("/dashboard/account/user/add/").status_code == 403


@pytest.mark.django_db
def test_group_form_offers_only_permissions_the_editor_holds(staff_user):
    editor = grant(staff_user, Perm.MANAGE_STAFF, Perm.MANAGE_USERS)
    page = client_for(editor).get("/dashboard/auth/group/add/")

    assert page.status_code == 200
    offered = set(page.context["adminform"].form.fields["permissions"].queryset)
    assert offered == {perm_row(Perm.MANAGE_STAFF.value), perm_row(Perm.MANAGE_USERS.value)}


@pytest.mark.django_db
def test_groups_beyond_the_editors_permissions_are_read_only(staff_user):
    editor = grant(staff_user, Perm.MANAGE_STAFF)
    admins = Group.objects.create(name="Plugin admins")
    admins.permissions.add(perm_row(Perm.MANAGE_PLUGINS.value))
    client = client_for(editor)

    response = client.post(f"/dashboard/auth/group/{admins.pk}/change/", {"name": "Mine"})
    assert response.status_code == 403
    deleted = client.post(f"/dashboard/auth/group/{admins.pk}/delete/", {"post": "yes"})
    assert deleted.status_code == 403
    assert Group.objects.get(pk=admins.pk).name == "Plugin admins"


@pytest.mark.django_db
def test_editing_a_staff_user_keeps_groups_the_editor_cannot_manage(staff_user):
    editor = grant(staff_user, Perm.MANAGE_STAFF)
    admins = Group.objects.create(name="Plugin admins")
    admins.permissions.add(perm_row(Perm.MANAGE_PLUGINS.value))
    colleague = make_user("colleague@example.com", is_staff=True)
    colleague.groups.add(admins)

    response = client_for(editor).post(
        f"/dashboard/account/user/{colleague.pk}/change/",
        {
            "email": "colleague@example.com",
            "phone": "",
            "first_name": "Col",
            "last_name": "",
            "is_active": "on",
            "is_confirmed": "on",
            "is_staff": "on",
        },
    )

    assert response.status_code == 302, response.content[:1500]
    colleague = User.objects.get(pk=colleague.pk)
    assert colleague.first_name == "Col"
    assert list(colleague.groups.all()) == [admins]
