from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicServicesConfig(AppConfig):
    name = "public_services"
    verbose_name = _("Dịch vụ công trực tuyến")

    def ready(self):
        from one_stop.catalogue.project_format import FORM_CHECKS
        from public_services.forms.schema import form_schema_errors

        # The catalogue import refuses a procedure whose online form this app could not render.
        if form_schema_errors not in FORM_CHECKS:
            FORM_CHECKS.append(form_schema_errors)

        from egov.core.demo import demo_step

        @demo_step
        def demo_online_forms(*, result, stdout):
            from public_services.demo import demo_forms_seed

            demo_forms_seed(stdout=stdout)
