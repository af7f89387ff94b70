from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TicketsConfig(AppConfig):
    """Queue tickets at the desk (lấy số tự động): kiosk, display board, the clerk's calls."""

    name = "one_stop.tickets"
    label = "tickets"
    verbose_name = _("Lấy số thứ tự")
