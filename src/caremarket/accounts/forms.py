from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm

from caremarket.accounts import throttle
from caremarket.core.forms import GovukBoundField, GovukFormRenderer


class ThrottledSignIn:
    """Says "signing in is paused" (not "wrong password") while the account or address is
    locked by ``accounts.throttle``."""

    request: Any

    def clean(self) -> dict[str, Any]:
        try:
            return super().clean()  # type: ignore[misc, no-any-return]
        except forms.ValidationError:
            if getattr(self.request, "sign_in_locked", False):
                raise forms.ValidationError(throttle.locked_message(), code="locked") from None
            raise


class SignInForm(ThrottledSignIn, AuthenticationForm):
    bound_field_class = GovukBoundField
    default_renderer = GovukFormRenderer
    error_messages = {
        "invalid_login": "Enter a correct username and password. Both are case-sensitive.",
        "inactive": "This account has been switched off. Ask your administrator.",
    }


class AdminSignInForm(ThrottledSignIn, AdminAuthenticationForm):
    """The back office's sign-in, throttled the same way."""
