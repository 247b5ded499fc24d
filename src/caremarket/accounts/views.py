from __future__ import annotations

from typing import Any

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django_otp import user_has_device

from caremarket.accounts import two_factor
from caremarket.accounts.forms import SignInForm


class SignInView(auth_views.LoginView):
    template_name = "accounts/sign_in.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True


class SignOutView(auth_views.LogoutView):
    """Signing out changes state, so it is a POST; a GET asks the user to confirm."""

    template_name = "accounts/sign_out.html"
    http_method_names = ["get", "post", "options"]

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return render(request, self.template_name)


@login_required
def two_factor_view(request: HttpRequest) -> HttpResponse:
    """The second step of signing in: a code from the authenticator app (``two_factor``)."""
    error = ""
    if request.method == "POST":
        if two_factor.verify(request, request.POST.get("code", "")):
            return redirect(two_factor.safe_next(request))
        error = "Enter the 6-digit code shown in your authenticator app"
    setup = None if user_has_device(request.user) else two_factor.setup_details(request)  # type: ignore[arg-type]
    context = {"error": error, "setup": setup, "next": two_factor.safe_next(request)}
    return render(request, "accounts/two_factor.html", context, status=400 if error else 200)
