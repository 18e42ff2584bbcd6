"""The plugin manager: loads plugins, and dispatches the four kinds of hooks.

pluggy does registration, hook-signature validation and ordering. Dispatch is
ours, one generic function per hook kind (not one method per hook): it filters
plugins by activation in the channel, hands each its own configuration, and
wraps each call in an OpenTelemetry span. The list of implementations per hook
is computed once, so a hook nobody implements costs a dict lookup.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from importlib.metadata import entry_points
from typing import Any

import pluggy
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string
from opentelemetry.trace import Status, StatusCode

from core import hookspecs
from core.hookspecs import PROJECT, HookKind
from core.plugins.base import BasePlugin, PluginConfig
from core.plugins.config import ConfigStore
from core.plugins.discovery import ENTRY_POINT_GROUP, PluginSource, list_plugin_sources
from core.telemetry import tracer, tracing_active

logger = logging.getLogger(__name__)

HookObserver = Callable[[str, str, dict[str, Any]], None]


@dataclass(frozen=True)
class BoundImpl:
    plugin_id: str
    function: Callable[..., Any]
    argnames: tuple[str, ...]

    def call(self, kwargs: dict[str, Any]) -> Any:
        return self.function(**{name: kwargs[name] for name in self.argnames})


@dataclass(frozen=True)
class LoadedPlugin:
    plugin: BasePlugin
    source: PluginSource

    @property
    def id(self) -> str:
        return self.plugin.id


def channel_slug(channel: Any) -> str | None:
    if channel is None or isinstance(channel, str):
        return channel
    return channel.slug


class PluginManager:
    def __init__(self) -> None:
        self.pm = pluggy.PluginManager(PROJECT)
        self.pm.add_hookspecs(hookspecs)
        self.loaded: dict[str, LoadedPlugin] = {}
        self.failures: dict[str, str] = {}
        self._instances: dict[str, BasePlugin] = {}
        self.configs = ConfigStore(self._instances)
        self.observers: list[HookObserver] = []
        self._impls: dict[str, tuple[BoundImpl, ...]] = {}
        self._kinds: dict[str, HookKind | None] = {}
        self._combine: dict[str, str] = {}
        self._refresh_kinds()

    # -- registration ----------------------------------------------------------------------

    def register(self, plugin: BasePlugin, source: PluginSource | None = None) -> None:
        plugin_id = getattr(plugin, "id", None)
        if not plugin_id or not getattr(plugin, "name", None):
            raise ImproperlyConfigured(f"{plugin!r} must define 'id' and 'name'")
        if plugin_id in self.loaded:
            raise ImproperlyConfigured(f"two plugins use the id {plugin_id!r}")
        extra_specs = getattr(plugin, "hookspecs", None)
        if extra_specs is not None:
            self.pm.add_hookspecs(extra_specs)
            self._refresh_kinds()
        self.pm.register(plugin, name=plugin_id)
        try:
            self._check_impls(plugin_id)
        except ImproperlyConfigured:
            self.pm.unregister(name=plugin_id)
            raise
        source = source or PluginSource(type(plugin).__module__, "", "runtime")
        self.loaded[plugin_id] = LoadedPlugin(plugin, source)
        self._instances[plugin_id] = plugin
        self._impls.clear()
        self.configs.reset()

    def _check_impls(self, plugin_id: str) -> None:
        """Refuse what the dispatcher would silently get wrong: unknown hook names
        (a typo would never be called) and hook wrappers (not a supported kind)."""
        plugin = self.pm.get_plugin(plugin_id)
        for caller in self.pm.get_hookcallers(plugin) or ():
            if caller.spec is None:
                raise ImproperlyConfigured(
                    f"plugin {plugin_id!r} implements {caller.name!r}, which is not a hook in "
                    "core/hookspecs.py (misspelled?)"
                )
            for impl in caller.get_hookimpls():
                if impl.plugin_name == plugin_id and (impl.hookwrapper or impl.wrapper):
                    raise ImproperlyConfigured(
                        f"plugin {plugin_id!r}: hook wrappers are not supported ({caller.name})"
                    )

    def unregister(self, plugin_id: str) -> None:
        self.pm.unregister(name=plugin_id)
        self.loaded.pop(plugin_id, None)
        self._instances.pop(plugin_id, None)
        self._impls.clear()
        self.configs.reset()

    def _refresh_kinds(self) -> None:
        for name, caller in vars(self.pm.hook).items():
            if isinstance(caller, pluggy.HookCaller) and caller.spec is not None:
                function = caller.spec.function
                self._kinds[name] = getattr(function, "hook_kind", None)
                if caller.spec.opts.get("firstresult"):
                    self._combine[name] = "first"
                elif getattr(function, "hook_concat", False):
                    self._combine[name] = "concat"
                else:
                    self._combine[name] = "list"

    # -- introspection ---------------------------------------------------------------------

    def hook_kind(self, hook: str) -> HookKind | None:
        return self._kinds.get(hook)

    def hooks_of_kind(self, kind: HookKind) -> list[str]:
        return sorted(name for name, k in self._kinds.items() if k is kind)

    def implemented_hooks(self, plugin_id: str) -> list[str]:
        plugin = self.pm.get_plugin(plugin_id)
        return sorted(caller.name for caller in self.pm.get_hookcallers(plugin) or ())

    def impls(self, hook: str) -> tuple[BoundImpl, ...]:
        """Implementations of ``hook`` in call order (computed once per registration change)."""
        cached = self._impls.get(hook)
        if cached is None:
            caller = getattr(self.pm.hook, hook)
            cached = tuple(
                BoundImpl(impl.plugin_name, impl.function, tuple(impl.argnames))
                for impl in reversed(caller.get_hookimpls())
            )
            self._impls[hook] = cached
        return cached

    def config(self, plugin_id: str, channel: Any = None) -> PluginConfig:
        return self.configs.get(plugin_id, channel_slug(channel))

    def active_impls(self, hook: str, channel: Any) -> Iterator[tuple[BoundImpl, PluginConfig]]:
        slug = channel_slug(channel)
        for impl in self.impls(hook):
            config = self.configs.get(impl.plugin_id, slug)
            if config.active:
                yield impl, config

    # -- dispatch ------------------------------------------------------------------------------

    def _call(self, impl: BoundImpl, hook: str, kwargs: dict[str, Any]) -> Any:
        for observer in self.observers:
            observer(impl.plugin_id, hook, kwargs)
        if not tracing_active():
            return impl.call(kwargs)
        with tracer.start_as_current_span(f"plugin {impl.plugin_id}.{hook}") as span:
            recording = span.is_recording()
            if recording:
                span.set_attribute("plugin.id", impl.plugin_id)
                span.set_attribute("plugin.hook", hook)
            try:
                result = impl.call(kwargs)
            except Exception as exc:
                if recording:
                    span.set_attribute("plugin.outcome", type(exc).__name__)
                    span.set_status(Status(StatusCode.ERROR))
                raise
            if recording:
                span.set_attribute("plugin.outcome", "ok" if result is not None else "none")
            return result

    def decision(self, hook: str, *, channel: Any = None, **kwargs: Any) -> Any:
        """Ask active plugins. First-answer hooks return one answer or None; list hooks
        concatenate the plugins' lists; others return the list of non-None answers.

        A plugin's DomainError (veto) propagates to the caller.
        """
        impls = self.impls(hook)
        combine = self._combine[hook]
        first = combine == "first"
        if not impls:
            return None if first else []
        kwargs["channel"] = channel
        results: list[Any] = []
        for impl, config in self.active_impls(hook, channel):
            kwargs["config"] = config
            result = self._call(impl, hook, kwargs)
            if result is None:
                continue
            if first:
                return result
            if combine == "concat":
                results.extend(result)
            else:
                results.append(result)
        return None if first else results

    def pipeline(
        self, hook: str, previous_value: Any, *, channel: Any = None, **kwargs: Any
    ) -> Any:
        """Thread a value through active plugins; the core's computation is ``previous_value``."""
        impls = self.impls(hook)
        if not impls:
            return previous_value
        kwargs["channel"] = channel
        value = previous_value
        for impl, config in self.active_impls(hook, channel):
            kwargs["config"] = config
            kwargs["previous_value"] = value
            result = self._call(impl, hook, kwargs)
            if result is not None:
                value = result
        return value

    def call_plugin(self, plugin_id: str, hook: str, *, channel: Any = None, **kwargs: Any) -> Any:
        """Call one plugin's implementation of ``hook`` (webhooks, event delivery)."""
        impl = next((i for i in self.impls(hook) if i.plugin_id == plugin_id), None)
        if impl is None:
            raise LookupError(f"plugin {plugin_id!r} does not implement {hook!r}")
        kwargs.setdefault("channel", channel)
        kwargs["config"] = self.config(plugin_id, channel)
        return self._call(impl, hook, kwargs)

    def startup(self, hook: str) -> list[tuple[str, Any]]:
        """Collect (plugin id, result) from every installed plugin, active or not."""
        return [
            (impl.plugin_id, result)
            for impl in self.impls(hook)
            if (result := self._call(impl, hook, {})) is not None
        ]

    def event_subscribers(self, event_type: str, channel: Any) -> list[str]:
        return [impl.plugin_id for impl, _ in self.active_impls(event_type, channel)]


_manager: PluginManager | None = None


def get_manager() -> PluginManager:
    if _manager is None:
        raise ImproperlyConfigured("plugins are not loaded yet (Django is not set up)")
    return _manager


def _load_reference(source: PluginSource) -> BasePlugin:
    if source.origin == "entry_point":
        matches = [
            ep for ep in entry_points(group=ENTRY_POINT_GROUP) if ep.value == source.reference
        ]
        target = matches[0].load()
    else:
        target = import_string(source.reference)
    return target() if isinstance(target, type) else target


def load_plugins() -> PluginManager:
    """Create the manager and register every plugin; report the ones that fail to load."""
    global _manager
    manager = PluginManager()
    required = set(settings.PLUGINS_REQUIRED)
    disabled = set(settings.PLUGINS_DISABLED)
    loaded: list[tuple[BasePlugin, PluginSource]] = []

    def fail(source: PluginSource, reason: str, exc: BaseException | None = None) -> None:
        manager.failures[source.reference] = reason
        logger.error(
            "plugin %s (%s) failed to load and is disabled: %s",
            source.reference,
            source.origin,
            reason,
            exc_info=exc,
        )
        if source.reference in required or source.app in required:
            raise ImproperlyConfigured(f"required plugin {source.reference} failed: {reason}")

    for source in list_plugin_sources(settings.BUILTIN_PLUGINS):
        if source.reference in disabled or source.app in disabled:
            continue
        if source.reference in settings.PLUGIN_APP_ERRORS:
            fail(source, settings.PLUGIN_APP_ERRORS[source.reference])
            continue
        try:
            plugin = _load_reference(source)
        except Exception as exc:  # noqa: BLE001 - a broken plugin must not take the server down
            fail(source, f"{type(exc).__name__}: {exc}", exc)
            continue
        if getattr(plugin, "id", None) in disabled:
            continue
        loaded.append((plugin, source))

    # pluggy calls later registrations first: register in reverse to call in listed order.
    for plugin, source in reversed(loaded):
        try:
            manager.register(plugin, source)
        except (ImproperlyConfigured, pluggy.PluginValidationError, ValueError) as exc:
            if getattr(plugin, "id", None) in required:
                raise ImproperlyConfigured(f"required plugin {plugin.id} failed: {exc}") from exc
            fail(source, f"{type(exc).__name__}: {exc}", exc)
    present = set(manager.loaded) | {lp.source.reference for lp in manager.loaded.values()}
    present |= {lp.source.app for lp in manager.loaded.values()}
    missing = sorted(required - present - set(manager.failures))
    if missing:
        raise ImproperlyConfigured(f"required plugins are not installed: {', '.join(missing)}")
    _manager = manager
    return manager
