"""Users: identified by email or by phone number (E.164), not both required."""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

E164 = RegexValidator(
    r"^\+[1-9]\d{6,14}$", "Enter a phone number in E.164 form, e.g. +2348012345678."
)


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
        extra.update(is_staff=True, is_superuser=True)
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

    def __str__(self) -> str:
        return self.email or self.phone or f"user {self.pk}"

    def get_full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()
