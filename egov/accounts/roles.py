"""Roles are Django groups, one per role, each with its permissions.

Groups are created by a data migration (so every database has them, production included); their
permissions are granted after every migrate from ROLE_PERMISSIONS, as apps add their models.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CITIZEN = "citizen", _("Công dân, tổ chức")
    ONE_STOP_CLERK = "one_stop_clerk", _("Cán bộ Bộ phận Một cửa")
    SPECIALIST = "specialist", _("Chuyên viên")
    HEAD_OF_DIVISION = "head_of_division", _("Lãnh đạo phòng")
    LEADER = "leader", _("Lãnh đạo cơ quan")
    RECORDS_CLERK = "records_clerk", _("Văn thư")
    AGENCY_ADMIN = "agency_admin", _("Quản trị cơ quan")
    SYSTEM_ADMIN = "system_admin", _("Quản trị hệ thống")
    EDITOR = "editor", _("Biên tập viên cổng thông tin")


STAFF_ROLES = frozenset(Role) - {Role.CITIZEN}

# "app_label.codename" per role. Codenames of apps not installed yet are simply skipped, so domain
# issues add theirs here as their models appear.
_VIEW_KERNEL = ["agencies.view_agency", "workdays.view_calendarday"]
# Queue tickets: an agency's administrator sets up its kiosk areas and counters (scoped in the admin).
_QUEUE_SETUP = [f"tickets.{verb}_{model}" for model in ("servicearea", "counter") for verb in ("view", "add", "change", "delete")]
_QUEUE_SETUP.append("tickets.view_queueticket")
# The portal's editors: news and directions for everyone, the leaders' calendar of their own agency.
_PORTAL_EDITING = [f"portal.{verb}_{model}" for model in ("article", "articleattachment", "calendarentry")
                   for verb in ("view", "add", "change", "delete")]
_OFFICE_READ = ["docs_office.view_incomingdocument", "docs_office.view_outgoingdocument",
                "docs_office.view_documenttype", "docs_office.view_register", "docs_office.view_division",
                "docs_office.view_task"]
_OFFICE_DRAFT = [*_OFFICE_READ, "docs_office.add_outgoingdocument", "docs_office.add_outgoingversion"]
ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.CITIZEN: [],
    Role.ONE_STOP_CLERK: [*_VIEW_KERNEL],
    Role.SPECIALIST: [*_VIEW_KERNEL, *_OFFICE_DRAFT],
    Role.HEAD_OF_DIVISION: [*_VIEW_KERNEL, "accounts.view_user", *_OFFICE_DRAFT],
    Role.LEADER: [*_VIEW_KERNEL, "accounts.view_user", *_OFFICE_READ],
    Role.RECORDS_CLERK: [*_VIEW_KERNEL, *_OFFICE_READ, "docs_office.add_incomingdocument"],
    Role.AGENCY_ADMIN: [
        *_VIEW_KERNEL, "accounts.view_user", "accounts.add_user", "accounts.change_user",
        "agencies.change_agency", "notifications.view_notification", *_QUEUE_SETUP,
        "docs_office.view_register", "docs_office.add_register", "docs_office.change_register",
        "docs_office.view_division", "docs_office.add_division", "docs_office.change_division",
    ],
    Role.SYSTEM_ADMIN: [
        *_VIEW_KERNEL,
        "accounts.view_user", "accounts.add_user", "accounts.change_user", "accounts.delete_user",
        "auth.view_group",
        "agencies.add_agency", "agencies.change_agency", "agencies.delete_agency",
        "workdays.add_calendarday", "workdays.change_calendarday", "workdays.delete_calendarday",
        "notifications.view_notification", "notifications.change_notification",
        "audit.view_legalevent", "core.view_outboxmessage",
        # Citizens' requests about their personal data (egov.accounts.data_requests): the operator answers them.
        "accounts.view_personaldatarequest", "accounts.change_personaldatarequest",
        "pghistory.view_events", *_QUEUE_SETUP,
        "docs_office.view_documenttype", "docs_office.add_documenttype", "docs_office.change_documenttype",
        "docs_office.view_register", "docs_office.add_register", "docs_office.change_register",
        # The province's procedure catalogue: a change of terms is a new version (one_stop.admin, "Phiên bản mới").
        "one_stop.view_procedure", "one_stop.change_procedure", "one_stop.view_procedureversion",
        "one_stop.add_procedureversion",
        # The blank forms the required documents name: replaced without a new version (one_stop.services.form_templates).
        "one_stop.view_procedureformtemplate", "one_stop.add_procedureformtemplate",
        "one_stop.change_procedureformtemplate", "one_stop.delete_procedureformtemplate",
    ],
    Role.EDITOR: [*_VIEW_KERNEL, *_PORTAL_EDITING],
}


def roles_sync_permissions(sender=None, using="default", **kwargs) -> None:
    from django.contrib.auth.models import Group, Permission

    wanted = {code for codes in ROLE_PERMISSIONS.values() for code in codes}
    by_code = {
        f"{p.content_type.app_label}.{p.codename}": p
        for p in Permission.objects.using(using).select_related("content_type")
        if f"{p.content_type.app_label}.{p.codename}" in wanted
    }
    for role, codes in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.using(using).get_or_create(name=role)
        group.permissions.add(*[by_code[c] for c in codes if c in by_code])
