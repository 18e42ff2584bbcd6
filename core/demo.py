"""Demo data of the core: the two channels and a staff account for the dashboard."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import Permission

from core.models import Channel

DEMO_STAFF_EMAIL = "admin@example.com"
DEMO_STAFF_PASSWORD = "admin"  # noqa: S105 - embedded-mode demo account, documented in README

CHANNELS = (
    {"slug": "default-channel", "name": "Nigeria", "currency_code": "NGN", "default_country": "NG"},
    {
        "slug": "channel-usd",
        "name": "International",
        "currency_code": "USD",
        "default_country": "US",
    },
)


def populate(stdout=None) -> None:  # noqa: ANN001
    from account.models import User

    for spec in CHANNELS:
        Channel.objects.update_or_create(slug=spec["slug"], defaults=spec)
    staff, created = User.objects.get_or_create(
        email=DEMO_STAFF_EMAIL,
        defaults={
            "is_staff": True,
            "is_superuser": True,
            "first_name": "Demo",
            "last_name": "Admin",
            "registration_method": User.RegistrationMethod.STAFF,
            "is_confirmed": True,
        },
    )
    if created:
        # The well-known demo password only exists in the embedded (local) mode.
        if settings.PRODUCTION:
            staff.set_unusable_password()
        else:
            staff.set_password(DEMO_STAFF_PASSWORD)
        staff.save(update_fields=["password"])
        staff.user_permissions.set(Permission.objects.all())
    if stdout:
        stdout.write(
            f"channels: {', '.join(c['slug'] for c in CHANNELS)}; staff: {DEMO_STAFF_EMAIL}"
        )
