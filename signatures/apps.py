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

        # The staff menu's "Ký số" link, answered with the signed-in user (no query of its own per page): a
        # certificate valid now (selectors.certificates_valid's rule), the user's own or their agency's.
        quote, user = connection.ops.quote_name, get_user_model()._meta
        owner, agency, active, since, until = (f"c.{quote(Certificate._meta.get_field(name).column)}" for name in
                                               ("owner", "agency", "is_active", "not_before", "not_after"))
        SIGNED_IN_USER_FACTS["can_sign"] = (
            f"EXISTS (SELECT 1 FROM {quote(Certificate._meta.db_table)} c "  # noqa: S608  (names from the models)
            f"WHERE ({owner} = u.{quote(user.pk.column)} OR {agency} = u.{quote(user.get_field('agency').column)}) "
            f"AND {active} AND {since} <= now() AND {until} > now())")

        @demo_step
        def demo_signing(*, result, stdout):
            from signatures.demo import demo_signing_seed

            demo_signing_seed(stdout=stdout)

