"""What a plugin declares: identity, configuration fields, defaults."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from core.errors import DomainError, ErrorDetail


class FieldType(StrEnum):
    STRING = "STRING"
    MULTILINE = "MULTILINE"
    SECRET = "SECRET"  # noqa: S105 - a field type name
    BOOLEAN = "BOOLEAN"
    INTEGER = "INTEGER"
    DECIMAL = "DECIMAL"
    CHOICE = "CHOICE"
    STRING_LIST = "STRING_LIST"
    URL = "URL"


@dataclass(frozen=True)
class ConfigField:
    """One configuration field of a plugin.

    ``secret`` fields (type SECRET) are encrypted at rest and never returned in
    full. ``public`` fields may be shown to storefronts (e.g. a publishable key).
    """

    name: str
    type: FieldType = FieldType.STRING
    default: Any = None
    label: str = ""
    help_text: str = ""
    required: bool = False
    choices: tuple[str, ...] = ()
    public: bool = False

    @property
    def secret(self) -> bool:
        return self.type is FieldType.SECRET

    def clean(self, raw: Any) -> Any:
        """Coerce a submitted value to the field's type or raise ValueError."""
        if raw is None or raw == "":
            if self.required:
                raise ValueError("This field is required.")
            return self.default if raw is None else ("" if self._textual else self.default)
        kind = self.type
        if kind is FieldType.BOOLEAN:
            if isinstance(raw, bool):
                return raw
            text = str(raw).strip().lower()
            if text in {"true", "1", "yes", "on"}:
                return True
            if text in {"false", "0", "no", "off"}:
                return False
            raise ValueError("Enter true or false.")
        if kind is FieldType.INTEGER:
            if isinstance(raw, bool):
                raise ValueError("Enter a whole number.")
            try:
                return int(str(raw).strip())
            except ValueError as exc:
                raise ValueError("Enter a whole number.") from exc
        if kind is FieldType.DECIMAL:
            if isinstance(raw, float):
                raw = repr(raw)
            try:
                value = Decimal(str(raw).strip())
            except InvalidOperation as exc:
                raise ValueError("Enter a number.") from exc
            if not value.is_finite():
                raise ValueError("Enter a finite number.")
            return str(value)
        if kind is FieldType.STRING_LIST:
            items = raw if isinstance(raw, list | tuple) else str(raw).split(",")
            values = [str(item).strip() for item in items if str(item).strip()]
            if self.choices:
                unknown = sorted(set(values) - set(self.choices))
                if unknown:
                    raise ValueError(f"Unknown value(s): {', '.join(unknown)}.")
            return values
        if not isinstance(raw, str):
            raise ValueError("Enter text.")
        if kind is FieldType.CHOICE and raw not in self.choices:
            raise ValueError(f"Choose one of: {', '.join(self.choices)}.")
        if kind is FieldType.URL:
            try:
                URLValidator(schemes=["http", "https"])(raw)
            except ValidationError as exc:
                raise ValueError("Enter a valid http(s) URL.") from exc
        return raw

    @property
    def _textual(self) -> bool:
        return self.type in {
            FieldType.STRING,
            FieldType.MULTILINE,
            FieldType.SECRET,
            FieldType.URL,
        }


class BasePlugin:
    """Base class of a plugin. Subclass it, set the class attributes, add ``@hookimpl`` methods.

    ``id`` is stable forever (it keys stored configuration and event deliveries).
    """

    id: ClassVar[str]
    name: ClassVar[str]
    description: ClassVar[str] = ""
    version: ClassVar[str] = "0.0.0"
    config_fields: ClassVar[tuple[ConfigField, ...]] = ()
    #: Configuration and activation per channel (True) or one global configuration (False).
    per_channel: ClassVar[bool] = True
    #: Active when no configuration was saved for it yet.
    default_active: ClassVar[bool] = False

    def validate_configuration(self, values: Mapping[str, Any], channel: str | None) -> None:
        """Check field combinations; raise DomainError naming the field. Values are cleaned."""

    @classmethod
    def field(cls, name: str) -> ConfigField | None:
        return next((f for f in cls.config_fields if f.name == name), None)


@dataclass(frozen=True)
class PluginConfig(Mapping[str, Any]):
    """A plugin's effective configuration in one channel (or globally). Read-only."""

    plugin_id: str
    channel: str | None
    active: bool
    values: Mapping[str, Any] = field(default_factory=dict)

    def __getitem__(self, key: str) -> Any:
        return self.values[key]

    def __iter__(self):  # noqa: ANN204
        return iter(self.values)

    def __len__(self) -> int:
        return len(self.values)


def clean_values(
    plugin: BasePlugin, submitted: Mapping[str, Any], current: Mapping[str, Any]
) -> dict[str, Any]:
    """Merge submitted values into current ones, cleaned; a blank secret keeps the old value."""
    errors: list[ErrorDetail] = []
    result = dict(current)
    for name, raw in submitted.items():
        spec = plugin.field(name)
        if spec is None:
            errors.append(ErrorDetail("INVALID", f"Unknown configuration field '{name}'.", name))
            continue
        if spec.secret and raw == "" and current.get(name):
            continue  # blank keeps the stored secret; an explicit null clears it
        try:
            result[name] = spec.clean(raw)
        except ValueError as exc:
            errors.append(ErrorDetail("INVALID", f"{name}: {exc}", name))
    for spec in plugin.config_fields:
        missing = spec.required and result.get(spec.name) in (None, "", [])
        if missing and not any(e.field == spec.name for e in errors):
            errors.append(ErrorDetail("REQUIRED", f"{spec.name} is required.", spec.name))
    if errors:
        raise DomainError(errors=errors)
    return result
