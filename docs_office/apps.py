from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocsOfficeConfig(AppConfig):
    name = "docs_office"
    verbose_name = _("Văn phòng điện tử (eOffice)")

    def ready(self):
        from docs_office.services import outgoing
        from egov.core.demo import demo_step
        from signatures.callbacks import register

        # signatures knows only these names: the signed request comes back to the document here.
        register(outgoing.LEADER_CALLBACK)(outgoing.outgoing_leader_signed)
        register(outgoing.AGENCY_CALLBACK)(outgoing.outgoing_agency_signed)

        @demo_step
        def demo_office(*, result, stdout):
            from docs_office.demo import demo_office_seed

            demo_office_seed(stdout=stdout)
