from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm
from django.utils.translation import gettext_lazy as _

from egov.accounts.models import User


class PasswordChangeForm(AdminPasswordChangeForm):
    """The admin's "change password": a new password ends the API tokens the old one obtained, as
    egov.accounts.services.user_password_change does for the portal's own forms."""

    def save(self, commit=True):
        from rest_framework.authtoken.models import Token

        user = super().save(commit=commit)
        if commit:
            Token.objects.filter(user=user).delete()
        return user


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    change_password_form = PasswordChangeForm
    actions = ["second_factor_reset"]
    list_display = ["username", "full_name", "national_id", "phone", "email", "agency", "position_title", "is_active"]
    list_filter = ["is_active", "is_staff", "groups", "agency__kind", "agency"]
    search_fields = ["username", "full_name", "national_id", "phone", "email"]
    list_select_related = ["agency"]
    autocomplete_fields = ["agency"]
    ordering = ["username"]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        (_("Thông tin cá nhân"), {"fields": ["full_name", "national_id", "phone", "email"]}),
        (_("Công tác"), {"fields": ["agency", "position_title"]}),
        (_("Vai trò và quyền"), {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]}),
        (_("Mốc thời gian"), {"fields": ["last_login", "date_joined", "privacy_consent_at", "privacy_notice_version"]}),
    ]
    # Consent is the citizen's own act (egov.accounts.privacy): shown, never set by an administrator.
    readonly_fields = ["privacy_consent_at", "privacy_notice_version"]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["username", "full_name", "agency", "password1", "password2"]}),
    ]

    @admin.action(description=_("Đặt lại xác thực hai lớp (mất hoặc đổi điện thoại)"))
    def second_factor_reset(self, request, queryset):
        """The way back in for a leader or records clerk who lost their phone: the service removes their apps,
        tokens and sessions; they enrol a new app at their next sign-in."""
        from egov.accounts.services import user_second_factor_reset
        from egov.audit.middleware import client_ip
        from egov.core.errors import ApplicationError

        ip = client_ip(request)
        try:
            reset = [user_second_factor_reset(user=user, by=request.user, ip=ip) for user in queryset]
        except ApplicationError as refused:
            self.message_user(request, refused.message, level=messages.ERROR)
            return
        self.message_user(request, _("Đã đặt lại xác thực hai lớp của %(users)s tài khoản (%(devices)s thiết bị đã "
                                     "gỡ); họ đăng ký lại ứng dụng tạo mã ở lần đăng nhập tới.")
                          % {"users": len(reset), "devices": sum(reset)}, level=messages.SUCCESS)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if db_field.name == "groups" and field is not None:
            # A role's group is named by its code ("records_clerk"): the admin reads its label ("Văn thư").
            field.label_from_instance = role_label
        return field


def role_label(group) -> str:
    from egov.accounts.roles import Role

    return str(Role(group.name).label) if group.name in Role.values else group.name
