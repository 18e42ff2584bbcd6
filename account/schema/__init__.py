"""Account GraphQL: sign-up and tokens, ``me``, staff accounts and groups, the audit log."""

from __future__ import annotations

import graphene

from account.schema.audit import Query as AuditQuery
from account.schema.auth import Mutation as AuthMutation
from account.schema.me import Mutation as MeMutation
from account.schema.me import Query as MeQuery
from account.schema.staff import Mutation as StaffMutation
from account.schema.staff import Query as StaffQuery


class Query(MeQuery, StaffQuery, AuditQuery, graphene.ObjectType):
    pass


class Mutation(AuthMutation, MeMutation, StaffMutation, graphene.ObjectType):
    pass


__all__ = ["Mutation", "Query"]
