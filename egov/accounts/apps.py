from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "egov.accounts"
    label = "accounts"
    verbose_name = _("Tài khoản và vai trò")

    def ready(self):
        from egov.accounts import checks  # noqa: F401  (registers the deploy checks)
        from egov.accounts.roles import roles_sync_permissions

        # Permissions of apps added later (one_stop, docs_office…) exist only after their migrations:
        # granting on every migrate keeps each role's permission set complete.
        post_migrate.connect(roles_sync_permissions, dispatch_uid="egov.accounts.roles_sync")
