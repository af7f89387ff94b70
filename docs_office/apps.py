from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocsOfficeConfig(AppConfig):
    name = "docs_office"
    verbose_name = _("Văn phòng điện tử (eOffice)")
