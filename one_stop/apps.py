from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OneStopConfig(AppConfig):
    name = "one_stop"
    verbose_name = _("Một cửa")

    def ready(self):
        # Registers the e-result signature callback, which the signing worker looks up by name.
        import one_stop.services.results  # noqa: F401
        from egov.core.demo import demo_step

        @demo_step
        def demo_catalogue(*, result, stdout):
            from one_stop.demo import demo_catalogue_seed

            demo_catalogue_seed(stdout=stdout)
