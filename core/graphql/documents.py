"""Parse and validate GraphQL documents once; reuse them from an LRU cache."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from graphql import (
    DocumentNode,
    GraphQLError,
    GraphQLSchema,
    OperationDefinitionNode,
    parse,
    specified_rules,
    validate,
)

from core.graphql.limits import limits_rule


@dataclass(frozen=True)
class PreparedDocument:
    document: DocumentNode | None
    errors: tuple[GraphQLError, ...]
    operations: dict[str | None, OperationDefinitionNode]


class DocumentCache:
    def __init__(self, schema: GraphQLSchema, size: int) -> None:
        self.schema = schema
        self.rules = (
            *specified_rules,
            limits_rule(
                settings.GRAPHQL_MAX_DEPTH,
                settings.GRAPHQL_MAX_COST,
                settings.GRAPHQL_MAX_ALIASES,
                settings.GRAPHQL_PAGE_MAX,
            ),
        )
        self.get = lru_cache(maxsize=size)(self._prepare)

    def _prepare(self, query: str) -> PreparedDocument:
        try:
            document = parse(query, max_tokens=settings.GRAPHQL_MAX_TOKENS)
        except GraphQLError as error:
            error.extensions = {**(error.extensions or {}), "code": "GRAPHQL_PARSE_FAILED"}
            return PreparedDocument(None, (error,), {})
        errors = validate(self.schema, document, self.rules)
        for error in errors:
            if not (error.extensions or {}).get("code"):
                error.extensions = {**(error.extensions or {}), "code": "GRAPHQL_VALIDATION_FAILED"}
        operations = {
            (d.name.value if d.name else None): d
            for d in document.definitions
            if isinstance(d, OperationDefinitionNode)
        }
        return PreparedDocument(document, tuple(errors), operations)
