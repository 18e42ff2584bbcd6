"""The demo fashion catalog: categories, attributes, product types, 63 products with
sizes and colours, prices in NGN and USD, images, collections and a few translations.

Deterministic and idempotent: the same data on every run, nothing created twice
(objects are found by slug or SKU). Written through ``product.services``.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from core.models import Channel
from product import services
from product.demo_images import product_image
from product.models import Attribute, Category, Collection, Product, ProductType
from product.services import (
    AttributeAssignment,
    PriceInput,
    ProductInput,
    ProductListingInput,
    ProductTypeInput,
    ValueInput,
    VariantInput,
)

NGN_PER_USD = Decimal("1550")
LAUNCH = datetime(2026, 1, 15, 9, 0, tzinfo=UTC)

COLOURS = {
    "Black": "#1B1B1B",
    "Ivory": "#F3EBDD",
    "Royal Blue": "#2447A8",
    "Emerald": "#127A4F",
    "Mustard": "#D4A017",
    "Burgundy": "#7A1F3D",
    "Coral": "#F26B5B",
    "Indigo": "#33306B",
}
SIZES = ("XS", "S", "M", "L", "XL")
SHOE_SIZES = ("38", "39", "40", "41", "42", "43", "44")
MATERIALS = ("Ankara wax print", "Aso Oke", "Adire", "Cotton", "Linen", "Silk", "Lace", "Leather")
PATTERNS = ("Geometric", "Floral", "Tie-dye", "Stripes", "Solid")

CATEGORY_TREE = {
    "Women": ("Dresses", "Tops", "Skirts"),
    "Men": ("Shirts", "Trousers", "Kaftans & Agbada"),
    "Shoes": ("Sandals & Sneakers",),
    "Accessories": ("Bags", "Headwraps & Jewellery"),
}


@dataclass(frozen=True)
class Line:
    category: str
    kind: str  # product type slug
    shape: str  # picture
    base_ngn: int
    names: tuple[str, ...]


LINES = (
    Line(
        "Dresses",
        "apparel",
        "dress",
        42000,
        (
            "Ankara Maxi Dress",
            "Adire Wrap Dress",
            "Aso Oke Midi Dress",
            "Lace Owambe Gown",
            "Kente Shift Dress",
            "Silk Slip Dress",
            "Tiered Cotton Sundress",
        ),
    ),
    Line(
        "Tops",
        "apparel",
        "top",
        18000,
        (
            "Peplum Ankara Blouse",
            "Adire Crop Top",
            "Linen Wrap Top",
            "Puff Sleeve Lace Top",
            "Off-shoulder Silk Top",
            "Kimono Cardigan",
            "Embroidered Tunic",
        ),
    ),
    Line(
        "Skirts",
        "apparel",
        "dress",
        21000,
        (
            "Ankara Pencil Skirt",
            "Pleated Adire Skirt",
            "Aso Oke Wrap Skirt",
            "Linen Midi Skirt",
            "Lace Flare Skirt",
            "Silk Bias Skirt",
            "Denim Patchwork Skirt",
        ),
    ),
    Line(
        "Shirts",
        "apparel",
        "top",
        19500,
        (
            "Ankara Short-sleeve Shirt",
            "Adire Camp Collar Shirt",
            "Linen Mandarin Shirt",
            "Embroidered Dashiki",
            "Oxford Cotton Shirt",
            "Silk Print Shirt",
            "Tie-dye Overshirt",
        ),
    ),
    Line(
        "Trousers",
        "apparel",
        "trousers",
        23000,
        (
            "Tailored Ankara Trousers",
            "Linen Drawstring Trousers",
            "Adire Wide-leg Pants",
            "Cotton Chinos",
            "Aso Oke Palazzo Pants",
            "Pleated Wool Trousers",
            "Cargo Joggers",
        ),
    ),
    Line(
        "Kaftans & Agbada",
        "apparel",
        "top",
        65000,
        (
            "Royal Agbada Set",
            "Embroidered Kaftan",
            "Senator Two-piece",
            "Linen Kaftan",
            "Aso Oke Agbada",
            "Brocade Kaftan",
            "Adire Boubou",
        ),
    ),
    Line(
        "Sandals & Sneakers",
        "shoes",
        "shoe",
        28000,
        (
            "Leather Slide Sandals",
            "Ankara Canvas Sneakers",
            "Beaded Mules",
            "Suede Loafers",
            "Woven Espadrilles",
            "Aso Oke High-tops",
            "Leather Gladiators",
        ),
    ),
    Line(
        "Bags",
        "accessory",
        "bag",
        24000,
        (
            "Ankara Tote Bag",
            "Beaded Clutch",
            "Leather Crossbody",
            "Woven Raffia Basket",
            "Adire Backpack",
            "Aso Oke Bucket Bag",
            "Mini Top-handle Bag",
        ),
    ),
    Line(
        "Headwraps & Jewellery",
        "accessory",
        "other",
        9000,
        (
            "Gele Headwrap",
            "Adire Turban",
            "Coral Bead Necklace",
            "Brass Hoop Earrings",
            "Cowrie Bracelet",
            "Ankara Bow Tie",
            "Beaded Anklet",
        ),
    ),
)

COLLECTIONS = {
    "New Arrivals": ("new-arrivals", lambda i: i % 5 == 0),
    "Owambe Party Edit": ("owambe-party-edit", lambda i: i % 4 == 1),
    "Summer Essentials": ("summer-essentials", lambda i: i % 6 == 2),
}
TRANSLATIONS_FR = {
    "Ankara Maxi Dress": "Robe longue en wax",
    "Adire Wrap Dress": "Robe portefeuille Adire",
    "Royal Agbada Set": "Ensemble Agbada royal",
    "Leather Slide Sandals": "Sandales en cuir",
    "Gele Headwrap": "Foulard Gele",
}
CATEGORY_FR = {
    "Women": "Femme",
    "Men": "Homme",
    "Shoes": "Chaussures",
    "Accessories": "Accessoires",
}


def _rich(text: str) -> dict:
    return {
        "time": 1736935200000,
        "blocks": [{"id": "intro", "type": "paragraph", "data": {"text": text}}],
        "version": "2.28.0",
    }


def _usd(ngn: Decimal) -> Decimal:
    """A tidy dollar price: NGN / rate, rounded to the dollar, minus a cent."""
    dollars = (ngn / NGN_PER_USD).quantize(Decimal("1"), ROUND_HALF_UP)
    return max(dollars, Decimal("2")) - Decimal("0.01")


def _attribute(name: str, kind: str, values: list[ValueInput]) -> Attribute:
    from django.utils.text import slugify

    found = Attribute.objects.filter(slug=slugify(name)).first()
    if found:
        return found
    return services.create_attribute(actor=None, name=name, input_type=kind, values=values)


def _attributes() -> dict[str, Attribute]:
    return {
        "size": _attribute("Size", "DROPDOWN", [ValueInput(s) for s in SIZES]),
        "shoe-size": _attribute("Shoe size", "NUMERIC", [ValueInput(s) for s in SHOE_SIZES]),
        "colour": _attribute(
            "Colour", "SWATCH", [ValueInput(n, hexa) for n, hexa in COLOURS.items()]
        ),
        "material": _attribute("Material", "DROPDOWN", [ValueInput(m) for m in MATERIALS]),
        "pattern": _attribute("Pattern", "MULTISELECT", [ValueInput(p) for p in PATTERNS]),
        "handmade": _attribute("Handmade", "BOOLEAN", []),
    }


def _product_types(attrs: dict[str, Attribute]) -> dict[str, ProductType]:
    specs = {
        "apparel": ("Apparel", ["material", "pattern", "handmade"], ["size", "colour"], "0.6"),
        "shoes": ("Shoes", ["material", "handmade"], ["shoe-size", "colour"], "1.1"),
        "accessory": ("Accessory", ["material", "handmade"], ["colour"], "0.3"),
    }
    types = {}
    for slug, (name, product_attrs, variant_attrs, weight) in specs.items():
        found = ProductType.objects.filter(slug=slug).first()
        types[slug] = found or services.create_product_type(
            actor=None,
            data=ProductTypeInput(
                name=name,
                slug=slug,
                weight=weight,
                product_attributes=[attrs[a].pk for a in product_attrs],
                variant_attributes=[attrs[a].pk for a in variant_attrs],
            ),
        )
    return types


def _categories() -> dict[str, Category]:
    found: dict[str, Category] = {}
    for top, children in CATEGORY_TREE.items():
        parent = Category.objects.filter(name=top, parent=None).first() or services.create_category(
            actor=None,
            name=top,
            description=_rich(f"{top}'s fashion from Lagos ateliers."),
        )
        found[top] = parent
        for child in children:
            found[child] = Category.objects.filter(
                name=child, parent=parent
            ).first() or services.create_category(
                actor=None,
                name=child,
                parent=parent,
                description=_rich(f"{child}, made in Nigeria."),
            )
    return found


def _variants(line: Line, code: str, rng: random.Random, price: Decimal) -> list[tuple]:
    """(VariantInput, prices) for one product: sizes x two colours, or colours alone."""
    colours = rng.sample(list(COLOURS), 2 if line.kind != "accessory" else 3)
    if line.kind == "apparel":
        sizes, size_attr = list(SIZES), "size"
    elif line.kind == "shoes":
        start = rng.randrange(0, 3)
        sizes, size_attr = list(SHOE_SIZES[start : start + 5]), "shoe-size"
    else:
        sizes, size_attr = [None], None
    items = []
    for colour in colours:
        for size in sizes:
            extra = Decimal(0) if size not in ("XL", "43", "44") else Decimal(1500)
            ngn = price + extra
            label = f"{size} / {colour}" if size else colour
            sku = f"{code}-{(size or 'OS').upper()}-{colour.replace(' ', '').upper()[:4]}"
            attributes = [AttributeAssignment(_ATTRS["colour"].pk, (colour,))]
            if size_attr:
                attributes.insert(0, AttributeAssignment(_ATTRS[size_attr].pk, (size,)))
            items.append(
                (
                    VariantInput(sku=sku, name=label, attributes=attributes),
                    [
                        PriceInput(
                            "default-channel", ngn, (ngn * Decimal("0.45")).quantize(Decimal(1))
                        ),
                        PriceInput("channel-usd", _usd(ngn)),
                    ],
                )
            )
    return items


_ATTRS: dict[str, Attribute] = {}


def _product(
    line: Line,
    index: int,
    name: str,
    category: Category,
    ptype: ProductType,
    channels: dict[str, Channel],
    rng: random.Random,
) -> Product:
    from django.utils.text import slugify

    slug = slugify(name)
    existing = Product.objects.filter(slug=slug).first()
    if existing:
        return existing
    material = next((m for m in MATERIALS if m.split()[0].lower() in name.lower()), None)
    material = material or rng.choice(MATERIALS)
    attributes = [
        AttributeAssignment(_ATTRS["material"].pk, (material,)),
        AttributeAssignment(_ATTRS["handmade"].pk, boolean=index % 3 != 0),
    ]
    if line.kind == "apparel":
        attributes.append(AttributeAssignment(_ATTRS["pattern"].pk, tuple(rng.sample(PATTERNS, 2))))
    product = services.create_product(
        actor=None,
        product_type=ptype,
        data=ProductInput(
            name=name,
            slug=slug,
            category=category,
            description=_rich(
                f"{name} in {material.lower()}, cut and finished by hand in Lagos. "
                f"A {line.category.lower()} favourite for weddings, work and weekends."
            ),
            attributes=attributes,
        ),
    )
    published = index % 17 != 16  # a few drafts show what staff see and customers don't
    listings = [
        ProductListingInput(
            channels["default-channel"],
            is_published=published,
            published_at=LAUNCH,
            visible_in_listings=True,
            available_for_purchase_at=LAUNCH,
        )
    ]
    if index % 9 != 8:  # most products also sell internationally
        listings.append(
            ProductListingInput(
                channels["channel-usd"],
                is_published=published,
                published_at=LAUNCH,
                visible_in_listings=True,
                available_for_purchase_at=LAUNCH,
            )
        )
    services.update_product_channel_listings(actor=None, product=product, update=listings)
    step = Decimal(rng.randrange(0, 12) * 2500)
    price = Decimal(line.base_ngn) + step
    code = f"FS{index:03d}"
    items = _variants(line, code, rng, price)
    if len(listings) == 1:
        items = [
            (data, [p for p in prices if p.channel == "default-channel"]) for data, prices in items
        ]
    services.create_variants(actor=None, product=product, items=items)
    colour = COLOURS[items[0][0].name.split(" / ")[-1]]
    for n in range(2):
        services.add_product_media(
            actor=None,
            product=product,
            image=product_image(
                name, colour if n == 0 else "#8A8A8A", line.shape, index + n, f"{slug}-{n + 1}.png"
            ),
            alt=f"{name}, {'front' if n == 0 else 'detail'}",
        )
    return product


def populate(stdout: Any = None) -> None:
    channels = {
        c.slug: c for c in Channel.objects.filter(slug__in=["default-channel", "channel-usd"])
    }
    if len(channels) != 2:
        raise RuntimeError("core.demo must create the demo channels first")
    _ATTRS.update(_attributes())
    types = _product_types(_ATTRS)
    categories = _categories()
    rng = random.Random(20260115)
    products: list[Product] = []
    index = 0
    for line in LINES:
        for name in line.names:
            products.append(
                _product(
                    line, index, name, categories[line.category], types[line.kind], channels, rng
                )
            )
            index += 1
    for title, (slug, chosen) in COLLECTIONS.items():
        if Collection.objects.filter(slug=slug).exists():
            continue
        collection = services.create_collection(
            actor=None,
            name=title,
            slug=slug,
            description=_rich(f"{title}: picked by our stylists."),
            products=[p for i, p in enumerate(products) if chosen(i)],
        )
        services.update_collection_channel_listings(
            actor=None,
            collection=collection,
            add=[
                {"channel": c, "is_published": True, "published_at": LAUNCH}
                for c in channels.values()
            ],
        )
    for product in products:
        if product.name in TRANSLATIONS_FR:
            services.translate(
                actor=None,
                obj=product,
                language_code="fr",
                fields={"name": TRANSLATIONS_FR[product.name]},
            )
    for name, translated in CATEGORY_FR.items():
        services.translate(
            actor=None, obj=categories[name], language_code="fr", fields={"name": translated}
        )
    if stdout:
        stdout.write(
            f"catalog: {Category.objects.count()} categories, {Product.objects.count()} products, "
            f"{sum(p.variants.count() for p in products)} variants"
        )
