from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicServicesConfig(AppConfig):
    name = "public_services"
    verbose_name = _("Dịch vụ công trực tuyến")

    def ready(self):
        from egov.core.demo import demo_step

        @demo_step
        def demo_online_forms(*, result, stdout):
            from public_services.demo import demo_forms_seed

            demo_forms_seed(stdout=stdout)
