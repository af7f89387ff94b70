"""The payment provider interface and its registry; settings.EGOV_PAYMENT_PROVIDER names the one in use.

A provider knows a gateway's wire protocol only: how to send a citizen to pay, how to check what
comes back (the browser's return and the gateway's server-to-server notification, IPN), and how to
answer an IPN. The state of a payment is the services' business.
"""

import enum
from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.utils.translation import gettext as _

from egov.core.errors import ApplicationError


class SignatureInvalid(Exception):
    """The parameters were not signed with our secret (forged, altered, or another merchant's)."""


class IpnOutcome(enum.Enum):
    CONFIRMED = "confirmed"
    ALREADY_CONFIRMED = "already_confirmed"
    INVALID_SIGNATURE = "invalid_signature"
    ORDER_NOT_FOUND = "order_not_found"
    INVALID_AMOUNT = "invalid_amount"
    ERROR = "error"


@dataclass(frozen=True)
class PaymentOrder:
    """What the gateway is asked to collect, and where it sends the citizen back."""

    txn_ref: str
    amount_vnd: int
    description: str
    return_url: str
    ip_address: str
    created_at: datetime
    expires_at: datetime


@dataclass(frozen=True)
class GatewayResult:
    """A verified return or IPN: the gateway's word on one order."""

    txn_ref: str
    amount_vnd: int
    success: bool
    response_code: str
    transaction_no: str = ""
    bank_code: str = ""
    paid_at: datetime | None = None
    params: dict = field(default_factory=dict)


class PaymentProvider(ABC):
    name: str = ""

    @abstractmethod
    def payment_url(self, order: PaymentOrder, *, gateway_url: str) -> str:
        """The signed address the citizen's browser is sent to."""

    @abstractmethod
    def verify(self, params: Mapping[str, str]) -> GatewayResult:
        """Check a return or IPN query; raise SignatureInvalid, or ValueError for malformed data."""

    @abstractmethod
    def ipn_answer(self, outcome: IpnOutcome) -> dict:
        """The JSON body the gateway expects in reply to its notification."""

    def is_configured(self) -> bool:
        return True


_REGISTRY: dict[str, type[PaymentProvider]] = {}


def provider_register(cls: type[PaymentProvider]) -> type[PaymentProvider]:
    _REGISTRY[cls.name] = cls
    return cls


def provider_get(name: str | None = None) -> PaymentProvider:
    """The provider named in settings (or `name`); an unknown name is a configuration error."""
    from public_services.payments.providers import vnpay  # noqa: F401  (registers itself)

    name = name or settings.EGOV_PAYMENT_PROVIDER
    cls = _REGISTRY.get(name)
    if cls is None:
        raise ApplicationError("payment_unavailable", _("Cổng thanh toán chưa được cấu hình."), status=503)
    return cls()
