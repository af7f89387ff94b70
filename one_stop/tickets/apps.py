from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TicketsConfig(AppConfig):
    """Queue tickets at the desk (lấy số tự động): kiosk, display board, the clerk's calls."""

    name = "one_stop.tickets"
    label = "tickets"
    verbose_name = _("Lấy số thứ tự")

    def ready(self):
        from egov.core.demo import demo_step

        @demo_step
        def demo_queue(*, result, stdout):
            from one_stop.tickets.demo import demo_queue_seed

            demo_queue_seed(stdout=stdout)
