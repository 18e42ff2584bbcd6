"""Input scalars for staff mutations."""

from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation
from typing import Any

import graphene
from graphql.language import ast


class DecimalAmount(graphene.Scalar):
    """A money amount: a JSON number or string, read exactly (``10.1`` stays 10.1).

    Range and precision are checked by the services, which answer with typed
    errors (a negative amount, too many decimals for the channel's currency).
    """

    @staticmethod
    def serialize(value: Any) -> str:
        return str(value)

    @staticmethod
    def parse_value(value: Any) -> Decimal:
        if isinstance(value, bool):
            raise ValueError("Expected a number.")
        text = repr(value) if isinstance(value, float) else str(value)
        try:
            parsed = Decimal(text)
        except InvalidOperation as exc:
            raise ValueError(f"{value!r} is not a number.") from exc
        if not parsed.is_finite():
            raise ValueError(f"{value!r} is not a finite number.")
        return parsed

    @classmethod
    def parse_literal(cls, node: ast.ValueNode, _variables: Any = None) -> Decimal:
        if isinstance(node, ast.IntValueNode | ast.FloatValueNode | ast.StringValueNode):
            return cls.parse_value(node.value)
        raise ValueError("Expected a number.")


class RichTextInput(graphene.Scalar):
    """Rich text (EditorJS) as a JSON object, or a string holding one (Saleor's JSONString)."""

    @staticmethod
    def serialize(value: Any) -> str:
        return json.dumps(value)

    @staticmethod
    def parse_value(value: Any) -> dict:
        if isinstance(value, str):
            try:
                value = json.loads(value)
            except ValueError as exc:
                raise ValueError("Rich text must be JSON.") from exc
        if not isinstance(value, dict):
            raise ValueError("Rich text must be a JSON object.")
        return value

    @classmethod
    def parse_literal(cls, node: ast.ValueNode, _variables: Any = None) -> dict:
        if isinstance(node, ast.StringValueNode):
            return cls.parse_value(node.value)
        if isinstance(node, ast.ObjectValueNode):
            from graphql import value_from_ast_untyped

            return cls.parse_value(value_from_ast_untyped(node, _variables))
        raise ValueError("Rich text must be a JSON object.")
