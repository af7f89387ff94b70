"""SMS providers: a base class and a registry; EGOV_SMS_PROVIDER names the one in use."""

from django.conf import settings


class SmsDeliveryError(Exception):
    """A transient failure of the provider (network, quota, gateway error): worth retrying."""


class SmsProvider:
    name: str = ""

    def send(self, *, phone: str, text: str) -> str:
        """Send one message; return the provider's message id. Raise SmsDeliveryError to retry."""
        raise NotImplementedError


_registry: dict[str, type[SmsProvider]] = {}


def register(cls: type[SmsProvider]) -> type[SmsProvider]:
    _registry[cls.name] = cls
    return cls


def sms_provider() -> SmsProvider:
    from egov.notifications.sms import logging as _builtin  # noqa: F401  (registers the built-in provider)

    try:
        return _registry[settings.EGOV_SMS_PROVIDER]()
    except KeyError:
        raise RuntimeError(f"Unknown SMS provider {settings.EGOV_SMS_PROVIDER!r}; known: {sorted(_registry)}") from None
