"""Users, their address book, one-time codes, and the audit log.

Users are identified by email or by phone number (E.164), not both required.
Every write goes through ``account.services``; these classes only hold data and
invariants.
"""

from __future__ import annotations

import secrets
from typing import Any

from auditlog.models import AbstractLogEntry, LogEntryManager
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.core.exceptions import PermissionDenied
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django_countries.fields import CountryField

E164 = RegexValidator(
    r"^\+[1-9]\d{6,14}$", "Enter a phone number in E.164 form, e.g. +2348012345678."
)


def new_token_key() -> str:
    """A fresh per-user JWT key: changing it revokes every token issued before."""
    return secrets.token_urlsafe(16)


class Address(models.Model):
    """A postal address. Holds no user logic: checkout and order keep their own copies."""

    first_name = models.CharField(max_length=256, blank=True)
    last_name = models.CharField(max_length=256, blank=True)
    company_name = models.CharField(max_length=256, blank=True)
    street_address_1 = models.CharField(max_length=256, blank=True)
    street_address_2 = models.CharField(max_length=256, blank=True)
    city = models.CharField(max_length=256, blank=True)
    city_area = models.CharField(max_length=128, blank=True)
    postal_code = models.CharField(max_length=20, blank=True)
    country = CountryField()
    country_area = models.CharField(max_length=128, blank=True)
    phone = models.CharField(max_length=16, blank=True, validators=[E164])

    #: The fields that make up the address itself (what ``copy`` and comparisons use).
    DATA_FIELDS = (
        "first_name",
        "last_name",
        "company_name",
        "street_address_1",
        "street_address_2",
        "city",
        "city_area",
        "postal_code",
        "country",
        "country_area",
        "phone",
    )

    class Meta:
        ordering = ("pk",)

    def __str__(self) -> str:
        name = f"{self.first_name} {self.last_name}".strip()
        parts = [name, self.street_address_1, self.city, str(self.country)]
        return ", ".join(p for p in parts if p)

    def as_data(self) -> dict[str, Any]:
        """The address as plain values (country as its code)."""
        data = {name: getattr(self, name) for name in self.DATA_FIELDS}
        data["country"] = self.country.code
        return data

    def copy(self) -> Address:
        """A new, saved address with the same data (a snapshot for a checkout or an order)."""
        return Address.objects.create(**self.as_data())


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create(self, email: str | None, phone: str | None, password: str | None, **extra):
        if not email and not phone:
            raise ValueError("A user needs an email or a phone number.")
        user = self.model(email=self.normalize_email(email) or None, phone=phone or None, **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email=None, password=None, phone=None, **extra):  # noqa: ANN001, ANN201
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create(email, phone, password, **extra)

    def create_superuser(self, email=None, password=None, phone=None, **extra):  # noqa: ANN001, ANN201
        extra.update(is_staff=True, is_superuser=True, is_confirmed=True)
        extra.setdefault("registration_method", User.RegistrationMethod.STAFF)
        return self._create(email, phone, password, **extra)

    def get_by_natural_key(self, username: str) -> User:
        return self.get(Q(email__iexact=username) | Q(phone=username))


class User(PermissionsMixin, AbstractBaseUser):
    class RegistrationMethod(models.TextChoices):
        EMAIL = "email"
        PHONE = "phone"
        GOOGLE = "google"
        STAFF = "staff"

    email = models.EmailField(unique=True, null=True, blank=True)
    phone = models.CharField(max_length=16, unique=True, null=True, blank=True, validators=[E164])
    first_name = models.CharField(max_length=256, blank=True)
    last_name = models.CharField(max_length=256, blank=True)
    is_staff = models.BooleanField(default=False)
    is_active = models.BooleanField(default=True)
    is_confirmed = models.BooleanField(default=False)
    registration_method = models.CharField(
        max_length=16, choices=RegistrationMethod.choices, default=RegistrationMethod.EMAIL
    )
    date_joined = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    addresses = models.ManyToManyField(Address, blank=True, related_name="user_addresses")
    default_shipping_address = models.ForeignKey(
        Address, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    default_billing_address = models.ForeignKey(
        Address, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    jwt_token_key = models.CharField(max_length=32, default=new_token_key, editable=False)
    #: Set when the account was erased on request; the row stays so orders keep their link.
    anonymized_at = models.DateTimeField(null=True, blank=True, editable=False)

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        ordering = ("email",)
        constraints = [
            models.CheckConstraint(
                condition=Q(email__isnull=False) | Q(phone__isnull=False),
                name="user_has_email_or_phone",
            )
        ]
        permissions = (
            ("manage_users", "Manage customers."),
            ("manage_staff", "Manage staff users and permission groups."),
        )

    def __str__(self) -> str:
        return self.email or self.phone or f"user {self.pk}"

    def get_full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def get_short_name(self) -> str:
        return self.first_name or str(self)


class OneTimeToken(models.Model):
    """A single-use secret sent to a person: a link token (email) or a short code (SMS).

    Only a SHA-256 digest is stored. Issuing a new token for the same purpose
    retires the older ones; a code is retired after too many wrong guesses.
    """

    class Purpose(models.TextChoices):
        CONFIRM_ACCOUNT = "confirm_account"
        PASSWORD_RESET = "password_reset"  # noqa: S105 - a purpose name
        DELETE_ACCOUNT = "delete_account"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="one_time_tokens")
    purpose = models.CharField(max_length=32, choices=Purpose.choices)
    digest = models.CharField(max_length=64, db_index=True)
    is_code = models.BooleanField(default=False)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=("user", "purpose"))]

    def __str__(self) -> str:
        return f"{self.purpose} token of user {self.user_id}"


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs: Any) -> int:
        raise PermissionDenied("The audit log is append-only.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionDenied("The audit log is append-only.")


class AuditEventManager(LogEntryManager.from_queryset(AppendOnlyQuerySet)):  # type: ignore[misc]
    pass


class AuditEvent(AbstractLogEntry):
    """One staff write: actor, action, object, field changes, IP, user agent, request id.

    django-auditlog's entry (``AUDITLOG_LOGENTRY_MODEL``) with the user agent
    added; ``cid`` holds the request id. Append-only: saving an existing row,
    deleting one, or a queryset ``update``/``delete`` raises.
    """

    user_agent = models.CharField(max_length=512, blank=True)

    objects = AuditEventManager()

    class Meta(AbstractLogEntry.Meta):
        default_permissions = ()
        permissions = (("view_audit_log", "Browse the audit log."),)
        verbose_name = "audit event"
        verbose_name_plural = "audit log"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise PermissionDenied("The audit log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise PermissionDenied("The audit log is append-only.")

    @property
    def request_id(self) -> str | None:
        return self.cid
