from __future__ import annotations

from django.contrib.auth.forms import AuthenticationForm

from caremarket.core.forms import GovukBoundField, GovukFormRenderer


class SignInForm(AuthenticationForm):
    bound_field_class = GovukBoundField
    default_renderer = GovukFormRenderer
    error_messages = {
        "invalid_login": "Enter a correct username and password. Both are case-sensitive.",
        "inactive": "This account has been switched off. Ask your administrator.",
    }
