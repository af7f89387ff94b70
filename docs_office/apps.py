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
        # Withdrawn unsigned, the leader's request sends the document back to the leaders (outgoing_leader_signed).
        register(outgoing.LEADER_CALLBACK, withdrawable=True)(outgoing.outgoing_leader_signed)
        register(outgoing.AGENCY_CALLBACK)(outgoing.outgoing_agency_signed)
        register(outgoing.ATTACHMENT_CALLBACK)(outgoing.outgoing_attachment_signed)

        from django.db.models.signals import post_delete, post_save

        from docs_office.filters import document_types_forget

        post_save.connect(document_types_forget, sender="docs_office.DocumentType", dispatch_uid="docs-office-type-saved")
        post_delete.connect(document_types_forget, sender="docs_office.DocumentType", dispatch_uid="docs-office-type-gone")

        @demo_step
        def demo_office(*, result, stdout):
            from docs_office.demo import demo_office_seed

            demo_office_seed(stdout=stdout)
