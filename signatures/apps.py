from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SignaturesConfig(AppConfig):
    name = "signatures"
    verbose_name = _("Chữ ký số")

    def ready(self):
        from django.contrib.auth import get_user_model
        from django.db import connection

        from egov.accounts.backends import SIGNED_IN_USER_FACTS
        from egov.core.demo import demo_step
        from signatures.models import Certificate

        # The staff menu's "Ký số" link, answered with the signed-in user (no query of its own per page).
        quote, user = connection.ops.quote_name, get_user_model()._meta
        SIGNED_IN_USER_FACTS["can_sign"] = (
            f"EXISTS (SELECT 1 FROM {quote(Certificate._meta.db_table)} c "  # noqa: S608  (names from the models)
            f"WHERE c.{quote(Certificate._meta.get_field('owner').column)} = u.{quote(user.pk.column)} "
            f"OR c.{quote(Certificate._meta.get_field('agency').column)} = u.{quote(user.get_field('agency').column)})")

        @demo_step
        def demo_signing(*, result, stdout):
            from signatures.demo import demo_signing_seed

            demo_signing_seed(stdout=stdout)

