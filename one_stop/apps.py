from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OneStopConfig(AppConfig):
    name = "one_stop"
    verbose_name = _("Một cửa")

    def ready(self):
        # Registers the e-result signature callback, which the signing worker looks up by name.
        import one_stop.services.results  # noqa: F401
        from egov.accounts.backends import CONTENT_FACTS, SIGNED_IN_USER_FACTS
        from egov.core.demo import demo_step
        from egov.workdays.services import calendar_version_sql
        from one_stop.selectors import CALENDAR_VERSION_FACT, QUEUE_VERSION_FACT, queue_version_sql

        # The version of the signed-in staff member's queue, read with them (one_stop.views.queue keeps the
        # page until it changes).
        SIGNED_IN_USER_FACTS[QUEUE_VERSION_FACT] = queue_version_sql()
        CONTENT_FACTS.add(QUEUE_VERSION_FACT)
        # The version of the working-day calendar, so the due-date horizons are computed once per worker and day
        # (one_stop.selectors.due_horizons), not read again on every page.
        SIGNED_IN_USER_FACTS[CALENDAR_VERSION_FACT] = calendar_version_sql()
        CONTENT_FACTS.add(CALENDAR_VERSION_FACT)

        @demo_step
        def demo_catalogue(*, result, stdout):
            from one_stop.demo import demo_catalogue_seed

            demo_catalogue_seed(stdout=stdout)

        @demo_step
        def demo_dossiers(*, result, stdout):
            from one_stop.demo import demo_dossiers_seed

            demo_dossiers_seed(stdout=stdout)
