from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "egov.core"
    label = "core"
    verbose_name = _("Nền tảng")

    def ready(self):
        from egov.core.third_party_names import name_third_party_apps

        name_third_party_apps()
