"""``shop``: what a storefront needs to know about the shop as a whole."""

from __future__ import annotations

from typing import Any

import graphene
from django.conf import settings
from django_countries import countries as all_countries

from core.models import Channel
from core.schema import CountryDisplay
from product.schema.common import LanguageDisplay


class Shop(graphene.ObjectType):
    name = graphene.String(required=True)
    default_country = graphene.Field(CountryDisplay)
    countries = graphene.List(
        graphene.NonNull(CountryDisplay),
        required=True,
        description="Countries the shop ships to (every country when a default zone exists).",
    )
    languages = graphene.List(
        graphene.NonNull(LanguageDisplay),
        required=True,
        description="English (the default) and every language with translations.",
    )
    channel_currencies = graphene.List(graphene.NonNull(graphene.String), required=True)


def _country(code: str) -> CountryDisplay:
    return CountryDisplay(code=code, country=dict(all_countries).get(code, code))


def resolve_shop(info: Any) -> Shop:
    from product.models import ProductTranslation
    from warehouse.models import ShippingZone

    channels = list(Channel.objects.filter(is_active=True).order_by("pk"))
    default = next((c for c in channels if c.slug == "default-channel"), None) or (
        channels[0] if channels else None
    )
    zones = list(ShippingZone.objects.all())
    if any(z.default for z in zones):
        codes = [code for code, _ in all_countries]
    else:
        codes = sorted({c.code for z in zones for c in z.countries})
    languages = [
        "en",
        *sorted(
            set(ProductTranslation.objects.values_list("language_code", flat=True).distinct())
            - {"en"}
        ),
    ]
    return Shop(
        name=getattr(settings, "SHOP_NAME", "Fashionistar"),
        default_country=_country(default.default_country.code) if default else None,
        countries=[_country(code) for code in codes],
        languages=[LanguageDisplay.for_code(code) for code in languages],
        channel_currencies=sorted({c.currency_code for c in channels}),
    )
