from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    label = "portal"
    verbose_name = _("Cổng thông tin điện tử")

    def ready(self):
        from egov.core.demo import demo_step
        from egov.core.views import HOME_CONTEXT
        from portal.selectors import home_context

        # The kernel's home page shows the latest news and this week's calendar without importing us.
        if home_context not in HOME_CONTEXT:
            HOME_CONTEXT.append(home_context)

        @demo_step
        def demo_portal(*, result, stdout):
            from portal.demo import demo_portal_seed

            demo_portal_seed(result=result, stdout=stdout)
