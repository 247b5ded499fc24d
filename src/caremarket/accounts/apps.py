from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "caremarket.accounts"
    verbose_name = "Accounts and access"

    def ready(self) -> None:
        from caremarket.accounts import throttle  # noqa: F401  (connects the sign-in signals)
