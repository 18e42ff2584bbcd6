"""The architecture rules of DESIGN.md, checked on the source.

* Every hook in ``core/hookspecs.py`` has a docstring and a section
  "### `hook_name`" in ``docs/plugins.md`` (plugin authors read only those two).
* Import directions, read with ``ast`` from the files (nothing is imported):

  - the core never imports a plugin (the in-tree ``plugins`` package or an
    entry-point plugin's package), nor any domain's ``schema`` module;
  - domain packages never import a plugin either, nor another domain's ``schema``;
  - ``models``/``services`` modules (files, or modules inside folders of those
    names) never import graphene/graphql or our own GraphQL layer
    (``core.graphql``, any ``schema`` module);
  - plugins may import the core.

Every violation is reported as ``path:line: message``. The checker itself is
tested on a small fake repository, so a rule that silently stops matching
fails here too.
"""

from __future__ import annotations

import ast
import inspect
import re
from collections.abc import Iterator
from dataclasses import dataclass
from importlib.metadata import entry_points
from pathlib import Path

import pytest

from core import hookspecs

pytestmark = pytest.mark.embedded

REPO = Path(__file__).resolve().parents[2]
GUIDE = REPO / "docs" / "plugins.md"

CORE = "core"
DOMAINS = frozenset({"account", "product", "warehouse", "checkout", "order", "payment"})
INTREE_PLUGINS = "plugins"
GRAPHQL_LIBRARIES = frozenset({"graphene", "graphene_django", "graphql"})
GRAPHQL_LAYER_PARTS = frozenset({"graphql", "schema"})
DATA_LAYER_NAMES = frozenset({"models", "services"})
SKIPPED_DIRS = frozenset({"tests", "__pycache__", "build", "dist", "node_modules"})
DYNAMIC_IMPORTERS = frozenset({"import_module", "import_string", "__import__"})


# -- hooks and the guide --------------------------------------------------------------------


def declared_hooks() -> dict[str, object]:
    return {
        name: value
        for name, value in vars(hookspecs).items()
        if inspect.isfunction(value) and hasattr(value, "hook_kind")
    }


HEADING = re.compile(r"^### `([A-Za-z_][A-Za-z0-9_]*)`[ \t]*$", re.MULTILINE)


def guide_sections(text: str) -> dict[str, list[str]]:
    """``{name: [body, ...]}`` for every "### `name`" heading; a body runs to the next heading."""
    sections: dict[str, list[str]] = {}
    matches = list(HEADING.finditer(text))
    for match in matches:
        rest = text[match.end() :]
        following = re.search(r"^#{1,3} ", rest, re.MULTILINE)
        body = rest[: following.start()] if following else rest
        sections.setdefault(match.group(1), []).append(body.strip())
    return sections


def test_the_hook_list_is_found() -> None:
    hooks = declared_hooks()
    kinds = {getattr(function, "hook_kind") for function in hooks.values()}  # noqa: B009

    assert {"order_paid", "handle_webhook", "calculate_checkout_total"} <= set(hooks)
    assert kinds == set(hookspecs.HookKind)


def test_every_hook_has_a_docstring() -> None:
    undocumented = [
        f"core/hookspecs.py:{function.__code__.co_firstlineno}: hook {name} has no docstring"
        for name, function in declared_hooks().items()
        if not (inspect.getdoc(function) or "").strip()
    ]

    assert not undocumented, "\n".join(undocumented)


def test_every_hook_has_a_section_in_the_plugin_guide() -> None:
    sections = guide_sections(GUIDE.read_text(encoding="utf-8"))
    problems = []
    for name in declared_hooks():
        bodies = sections.get(name)
        if not bodies:
            problems.append(f"docs/plugins.md: no section '### `{name}`'")
        elif len(bodies) > 1:
            problems.append(f"docs/plugins.md: {len(bodies)} sections '### `{name}`'")
        elif not bodies[0]:
            problems.append(f"docs/plugins.md: section '### `{name}`' is empty")

    assert not problems, "\n".join(problems)


def test_the_plugin_guide_documents_no_hook_that_does_not_exist() -> None:
    hooks = declared_hooks()
    stale = [
        f"docs/plugins.md: section '### `{name}`' names no hook in core/hookspecs.py"
        for name in guide_sections(GUIDE.read_text(encoding="utf-8"))
        if name not in hooks
    ]

    assert not stale, "\n".join(stale)


# -- reading imports ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Module:
    """A source file and its dotted name (relative to its source root)."""

    path: Path
    name: str
    is_package: bool

    @property
    def top(self) -> str:
        return self.name.split(".")[0]

    @property
    def parts(self) -> tuple[str, ...]:
        return tuple(self.name.split("."))


@dataclass(frozen=True)
class Import:
    module: Module
    line: int
    target: str  # absolute dotted name: ``from a.b import c`` gives ``a.b.c``

    @property
    def top(self) -> str:
        return self.target.split(".")[0]

    def location(self, repo: Path) -> str:
        try:
            shown = self.module.path.relative_to(repo)
        except ValueError:
            shown = self.module.path
        return f"{shown}:{self.line}"


def _python_files(directory: Path) -> Iterator[Path]:
    for path in sorted(directory.rglob("*.py")):
        relative = path.relative_to(directory).parts
        if any(part in SKIPPED_DIRS or part.endswith(".egg-info") for part in relative):
            continue
        yield path


def _module(root: Path, path: Path) -> Module:
    parts = list(path.relative_to(root).with_suffix("").parts)
    is_package = parts[-1] == "__init__"
    if is_package:
        parts.pop()
    return Module(path, ".".join(parts), is_package)


def distribution_dirs(repo: Path) -> list[Path]:
    """Plugin distributions in the repository: their own source roots."""
    found = [*repo.glob("plugins/*/pyproject.toml"), *repo.glob("docs/examples/*/pyproject.toml")]
    return sorted(path.parent for path in found)


def repo_modules(repo: Path) -> list[Module]:
    """Every module of core, the domains and the plugins, named as Python would import it."""
    modules: list[Module] = []
    distributions = distribution_dirs(repo)
    for package in sorted({CORE, *DOMAINS, INTREE_PLUGINS}):
        directory = repo / package
        if not directory.is_dir():
            continue
        for path in _python_files(directory):
            if any(dist in path.parents for dist in distributions):
                continue
            modules.append(_module(repo, path))
    for dist in distributions:
        for package_dir in sorted(p.parent for p in dist.glob("*/__init__.py")):
            if package_dir.name in SKIPPED_DIRS:
                continue
            modules.extend(_module(dist, path) for path in _python_files(package_dir))
    return modules


def plugin_packages(repo: Path) -> frozenset[str]:
    """Top-level packages that are plugins: in-tree, in-repo distributions, installed ones."""
    names = {INTREE_PLUGINS}
    for dist in distribution_dirs(repo):
        names.update(p.parent.name for p in dist.glob("*/__init__.py"))
    names.update(ep.module.split(".")[0] for ep in entry_points(group="fashionistar.plugins"))
    return frozenset(names - SKIPPED_DIRS)


def _resolve(module: Module, level: int, name: str | None) -> str:
    package = list(module.parts if module.is_package else module.parts[:-1])
    base = package[: len(package) - (level - 1)] if level > 1 else package
    return ".".join([*base, *(name.split(".") if name else [])])


def imports_of(module: Module) -> Iterator[Import]:
    tree = ast.parse(module.path.read_text(encoding="utf-8"), filename=str(module.path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield Import(module, node.lineno, alias.name)
        elif isinstance(node, ast.ImportFrom):
            base = _resolve(module, node.level, node.module) if node.level else node.module
            for alias in node.names:
                yield Import(module, node.lineno, f"{base}.{alias.name}" if base else alias.name)
        elif isinstance(node, ast.Call):
            function = node.func
            called = function.attr if isinstance(function, ast.Attribute) else None
            if isinstance(function, ast.Name):
                called = function.id
            first = node.args[0] if node.args else None
            if (
                called in DYNAMIC_IMPORTERS
                and isinstance(first, ast.Constant)
                and isinstance(first.value, str)
            ):
                yield Import(module, node.lineno, first.value.replace(":", "."))


# -- the rules ---------------------------------------------------------------------------------


def _is_or_under(target: str, prefix: str) -> bool:
    return target == prefix or target.startswith(prefix + ".")


def _is_data_layer(module: Module) -> bool:
    return any(part in DATA_LAYER_NAMES for part in module.parts[1:])


def _graphql_layer(target: str, own_packages: frozenset[str]) -> bool:
    parts = target.split(".")
    if parts[0] in GRAPHQL_LIBRARIES:
        return True
    return parts[0] in own_packages and any(p in GRAPHQL_LAYER_PARTS for p in parts[1:])


def violations(repo: Path) -> list[str]:
    """Every import that breaks a direction rule, as ``path:line: message``."""
    modules = repo_modules(repo)
    plugins = plugin_packages(repo)
    own_packages = frozenset({m.top for m in modules})
    found: list[str] = []
    for module in modules:
        for imp in imports_of(module):
            where = imp.location(repo)
            if module.top == CORE or module.top in DOMAINS:
                if imp.top in plugins and imp.top != module.top:
                    found.append(f"{where}: {module.top} imports plugin code {imp.target}")
                for domain in sorted(DOMAINS - {module.top}):
                    if _is_or_under(imp.target, f"{domain}.schema"):
                        found.append(
                            f"{where}: {module.top} imports the GraphQL schema of {domain} "
                            f"({imp.target}); import its services or models instead"
                        )
            if _is_data_layer(module) and _graphql_layer(imp.target, own_packages):
                found.append(
                    f"{where}: {module.name} (models/services) imports the GraphQL layer "
                    f"({imp.target})"
                )
    return found


def test_import_directions_of_the_repository() -> None:
    found = violations(REPO)

    assert not found, "import rules broken (DESIGN.md, Layout):\n" + "\n".join(found)


def test_plugins_may_import_the_core() -> None:
    """The allowed direction is seen, and no rule fires for it."""
    plugin_imports = [
        imp
        for module in repo_modules(REPO)
        if module.top in plugin_packages(REPO)
        for imp in imports_of(module)
        if imp.top == CORE
    ]

    assert plugin_imports, "the checker found no plugin importing the core: is it reading plugins?"
    allowed = {imp.location(REPO) for imp in plugin_imports}
    assert not [v for v in violations(REPO) if v.split(": ")[0] in allowed]


# -- the checker catches what it should --------------------------------------------------------


def write(root: Path, relative: str, source: str) -> None:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    for parent in path.relative_to(root).parents:
        init = root / parent / "__init__.py"
        if parent != Path(".") and not init.exists():
            init.write_text("")
    path.write_text(source)


def test_the_checker_reports_each_broken_rule_with_file_and_line(tmp_path: Path) -> None:
    write(tmp_path, "core/bad.py", "import os\nfrom plugins.notifications import plugin\n")
    write(tmp_path, "core/dynamic.py", "import importlib\nimportlib.import_module('plugins.x')\n")
    write(tmp_path, "core/graphql/schema.py", "x = 1\n\nfrom product.schema import Query\n")
    write(tmp_path, "product/models.py", "from django.db import models\nimport graphene\n")
    write(tmp_path, "product/schema.py", "import graphene\n")
    write(tmp_path, "order/services/refunds.py", "\n\nfrom graphql import GraphQLError\n")
    write(tmp_path, "order/services/__init__.py", "from core.graphql.types import Error\n")
    write(tmp_path, "checkout/views.py", "from product import schema\n")
    write(tmp_path, "checkout/schema.py", "from . import models\nfrom .services import x\n")
    write(tmp_path, "warehouse/models/stock.py", "from ..schema import StockType\n")
    write(tmp_path, "payment/hooks.py", "from plugins.stripe.plugin import StripePlugin\n")
    write(tmp_path, "plugins/flat_tax/plugin.py", "from core.plugins import BasePlugin\n")
    write(tmp_path, "plugins/flat_tax/schema.py", "import graphene\nfrom core import money\n")
    write(tmp_path, "plugins/stripe/pyproject.toml", "")
    write(tmp_path, "plugins/stripe/acme_stripe/services.py", "import graphene\n")
    write(tmp_path, "plugins/stripe/acme_stripe/plugin.py", "from core.plugins import hookimpl\n")
    write(tmp_path, "core/uses_dist.py", "from acme_stripe.plugin import X\n")

    found = violations(tmp_path)

    assert sorted(found) == sorted(
        [
            "core/bad.py:2: core imports plugin code plugins.notifications.plugin",
            "core/dynamic.py:2: core imports plugin code plugins.x",
            "core/graphql/schema.py:3: core imports the GraphQL schema of product "
            "(product.schema.Query); import its services or models instead",
            "core/uses_dist.py:1: core imports plugin code acme_stripe.plugin.X",
            "product/models.py:2: product.models (models/services) imports the GraphQL layer "
            "(graphene)",
            "order/services/refunds.py:3: order.services.refunds (models/services) imports "
            "the GraphQL layer (graphql.GraphQLError)",
            "order/services/__init__.py:1: order.services (models/services) imports the "
            "GraphQL layer (core.graphql.types.Error)",
            "checkout/views.py:1: checkout imports the GraphQL schema of product "
            "(product.schema); import its services or models instead",
            "warehouse/models/stock.py:1: warehouse.models.stock (models/services) imports "
            "the GraphQL layer (warehouse.schema.StockType)",
            "payment/hooks.py:1: payment imports plugin code plugins.stripe.plugin.StripePlugin",
            "plugins/stripe/acme_stripe/services.py:1: acme_stripe.services (models/services) "
            "imports the GraphQL layer (graphene)",
        ]
    )


def test_the_guide_check_sees_missing_and_stale_sections() -> None:
    text = "## Hook reference\n\n### `order_paid`\n\nPaid.\n\n### `order_payed`\n\n### `x`\n"

    sections = guide_sections(text)

    assert sections["order_paid"] == ["Paid."]
    assert sections["order_payed"] == [""]
    assert "product_created" not in sections
