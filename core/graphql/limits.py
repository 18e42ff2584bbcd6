"""Static limits on a GraphQL document: depth, cost and aliases.

They run as validation rules, so their verdict is cached with the document.
Cost is an upper bound: every field costs 1, and a field taking ``first`` or
``last`` multiplies the cost of its children by that page size (the page cap
when the value is a variable or absent). Introspection fields are free, so that
GraphiQL and code generators keep working.
"""

from __future__ import annotations

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValidationContext,
    ValidationRule,
)

PAGINATION_ARGS = ("first", "last")


class DocumentMeasure:
    def __init__(self, fragments: dict[str, FragmentDefinitionNode], page_max: int) -> None:
        self.fragments = fragments
        self.page_max = page_max
        self.aliases = 0

    def page_size(self, node: FieldNode) -> int | None:
        size: int | None = None
        for arg in node.arguments or ():
            if arg.name.value in PAGINATION_ARGS:
                if isinstance(arg.value, IntValueNode):
                    size = max(size or 0, min(int(arg.value.value), self.page_max))
                else:
                    size = self.page_max
        return size

    def measure(
        self, selection_set: SelectionSetNode | None, depth: int, seen: frozenset[str]
    ) -> tuple[int, int]:
        """Return (max depth, cost) of a selection set, expanding fragments."""
        if selection_set is None:
            return depth, 0
        max_depth, cost = depth, 0
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                if selection.name.value.startswith("__"):
                    continue
                if selection.alias is not None:
                    self.aliases += 1
                child_depth, child_cost = self.measure(selection.selection_set, depth + 1, seen)
                multiplier = self.page_size(selection) if selection.selection_set else None
                cost += 1 + child_cost * (multiplier or 1)
                max_depth = max(max_depth, child_depth)
            elif isinstance(selection, InlineFragmentNode):
                child_depth, child_cost = self.measure(selection.selection_set, depth, seen)
                cost += child_cost
                max_depth = max(max_depth, child_depth)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                fragment = self.fragments.get(name)
                if fragment is None or name in seen:
                    continue  # reported by the standard rules
                child_depth, child_cost = self.measure(fragment.selection_set, depth, seen | {name})
                cost += child_cost
                max_depth = max(max_depth, child_depth)
        return max_depth, cost


def limits_rule(max_depth: int, max_cost: int, max_aliases: int, page_max: int) -> type:
    class QueryLimitsRule(ValidationRule):
        def enter_operation_definition(self, node: OperationDefinitionNode, *_args: object) -> None:
            context: ValidationContext = self.context
            fragments = {
                d.name.value: d
                for d in context.document.definitions
                if isinstance(d, FragmentDefinitionNode)
            }
            measure = DocumentMeasure(fragments, page_max)
            depth, cost = measure.measure(node.selection_set, 0, frozenset())
            name = node.name.value if node.name else "anonymous"
            if depth > max_depth:
                context.report_error(
                    GraphQLError(
                        f"Operation '{name}' is nested {depth} levels deep; the limit is "
                        f"{max_depth}.",
                        node,
                        extensions={"code": "QUERY_TOO_DEEP", "depth": depth, "limit": max_depth},
                    )
                )
            if cost > max_cost:
                context.report_error(
                    GraphQLError(
                        f"Operation '{name}' may cost up to {cost}; the limit is {max_cost}. "
                        "Ask for smaller pages or fewer nested lists.",
                        node,
                        extensions={"code": "QUERY_TOO_COSTLY", "cost": cost, "limit": max_cost},
                    )
                )
            if measure.aliases > max_aliases:
                context.report_error(
                    GraphQLError(
                        f"Operation '{name}' uses {measure.aliases} aliases; the limit is "
                        f"{max_aliases}.",
                        node,
                        extensions={"code": "TOO_MANY_ALIASES", "limit": max_aliases},
                    )
                )

    return QueryLimitsRule
