from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SignaturesConfig(AppConfig):
    name = "signatures"
    verbose_name = _("Chữ ký số")

    def ready(self):
        from egov.core.demo import demo_step

        @demo_step
        def demo_signing(*, result, stdout):
            from signatures.demo import demo_signing_seed

            demo_signing_seed(stdout=stdout)
