"""Dashboard forms generated from the fields a plugin declares."""

from __future__ import annotations

from typing import Any

from django import forms

from core.plugins.base import BasePlugin, ConfigField, FieldType
from core.plugins.crypto import mask


def _form_field(spec: ConfigField, stored_secret: str | None) -> forms.Field:
    label = spec.label or spec.name
    help_text = spec.help_text
    if spec.type is FieldType.SECRET:
        hint = (
            f"Stored: {mask(stored_secret)}. Leave blank to keep it."
            if stored_secret
            else "Not set."
        )
        return forms.CharField(
            label=label,
            required=False,
            widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
            help_text=f"{help_text} {hint}".strip(),
        )
    if spec.type is FieldType.BOOLEAN:
        return forms.BooleanField(label=label, required=False, help_text=help_text)
    if spec.type is FieldType.CHOICE:
        return forms.ChoiceField(
            label=label, choices=[(c, c) for c in spec.choices], help_text=help_text
        )
    if spec.type is FieldType.MULTILINE:
        return forms.CharField(
            label=label, required=False, widget=forms.Textarea, help_text=help_text
        )
    if spec.type is FieldType.STRING_LIST:
        return forms.CharField(
            label=label, required=False, help_text=f"{help_text} Comma-separated.".strip()
        )
    return forms.CharField(label=label, required=False, help_text=help_text)


def configuration_form(plugin: BasePlugin, values: dict[str, Any], data: Any = None) -> forms.Form:
    fields: dict[str, forms.Field] = {"active": forms.BooleanField(required=False)}
    initial: dict[str, Any] = {"active": values.get("__active__", False)}
    for spec in plugin.config_fields:
        fields[spec.name] = _form_field(spec, values.get(spec.name) if spec.secret else None)
        if not spec.secret:
            value = values.get(spec.name)
            initial[spec.name] = ",".join(value) if isinstance(value, list) else value
    form_class = type("PluginConfigurationForm", (forms.Form,), fields)
    return form_class(data=data, initial=initial)
