from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import GroupAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _

from egov.accounts.models import DataRequestKind, DataRequestState, PersonalDataRequest, PersonalDataRequestEvent, User


class PasswordChangeForm(AdminPasswordChangeForm):
    """The admin's "change password": a new password ends the API tokens the old one obtained, as
    egov.accounts.services.user_password_change does for the portal's own forms."""

    def save(self, commit=True):
        from rest_framework.authtoken.models import Token

        user = super().save(commit=commit)
        if commit:
            Token.objects.filter(user=user).delete()
        return user


class ErasedFilter(admin.SimpleListFilter):
    title = _("xóa tài khoản")
    parameter_name = "da_xoa"

    def lookups(self, request, model_admin):
        return [("1", _("Đã xóa")), ("0", _("Chưa xóa"))]

    def queryset(self, request, queryset):
        if self.value() in ("0", "1"):
            return queryset.filter(erased_at__isnull=self.value() == "0")
        return queryset


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    change_password_form = PasswordChangeForm
    actions = ["second_factor_reset"]
    list_display = ["username", "full_name", "national_id", "phone", "email", "agency", "position_title", "is_active"]
    list_filter = ["is_active", ErasedFilter, "is_staff", "groups", "agency__kind", "agency"]
    search_fields = ["username", "full_name", "national_id", "phone", "email"]
    list_select_related = ["agency"]
    autocomplete_fields = ["agency"]
    ordering = ["username"]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        (_("Thông tin cá nhân"), {"fields": ["full_name", "national_id", "phone", "email"]}),
        (_("Công tác"), {"fields": ["agency", "position_title"]}),
        (_("Vai trò và quyền"), {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]}),
        (_("Mốc thời gian"), {"fields": ["last_login", "date_joined", "privacy_consent_at", "privacy_notice_version",
                                         "erased_at"]}),
    ]
    # Consent is the citizen's own act (egov.accounts.privacy), erasure the citizen's or a deletion request's
    # (egov.accounts.erasure): shown, never set by an administrator.
    readonly_fields = ["privacy_consent_at", "privacy_notice_version", "erased_at"]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["username", "full_name", "agency", "password1", "password2"]}),
    ]

    # An agency administrator (not a system administrator) manages their own agency's staff: never a superuser flag,
    # a permission of its own, the admin site's door or a role above their agency's work (found in review: the
    # permission to change users made every account of the province theirs, superuser included).
    AGENCY_ADMIN_HIDDEN = ("is_staff", "is_superuser", "user_permissions")

    def get_queryset(self, request):
        from egov.accounts.roles import Role
        from egov.agencies.admin import sees_every_agency

        users = super().get_queryset(request)
        if sees_every_agency(request.user):
            return users
        above = Group.objects.filter(name=Role.SYSTEM_ADMIN)
        return users.filter(agency_id=request.user.agency_id, is_superuser=False).exclude(groups__in=above)

    def get_fieldsets(self, request, obj=None):
        from egov.agencies.admin import sees_every_agency

        fieldsets = super().get_fieldsets(request, obj)
        if sees_every_agency(request.user):
            return fieldsets
        hidden = set(self.AGENCY_ADMIN_HIDDEN)
        if obj is not None and obj.pk == request.user.pk:
            # Not their own roles (found in review: an agency administrator made themselves records clerk, and so
            # the holder of the agency's seal): a system administrator gives them.
            hidden.add("groups")
        return [(name, {**options, "fields": [f for f in options["fields"] if f not in hidden]})
                for name, options in fieldsets]

    def save_related(self, request, form, formsets, change):
        """The roles (groups) are saved here, with the form's other many-to-many fields: the change is recorded in
        the legal event log, as user_set_roles does, with who made it and the roles before and after."""
        from egov.accounts.services import user_roles_change_record
        from egov.audit.middleware import client_ip

        user = form.instance
        before = set(user.groups.values_list("name", flat=True)) if change else set()
        super().save_related(request, form, formsets, change)
        user_roles_change_record(user=user, before=before, by=request.user, ip=client_ip(request))

    def get_autocomplete_fields(self, request):
        from egov.agencies.admin import sees_every_agency

        fields = super().get_autocomplete_fields(request)
        return fields if sees_every_agency(request.user) else [f for f in fields if f != "agency"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        from egov.agencies.admin import sees_every_agency
        from egov.agencies.models import Agency

        if db_field.name == "agency" and not sees_every_agency(request.user):
            kwargs["queryset"] = Agency.objects.filter(pk=request.user.agency_id)
            kwargs["empty_label"] = None  # their agency is the only one, chosen already
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

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
        from egov.accounts.roles import Role
        from egov.agencies.admin import sees_every_agency

        if db_field.name == "groups" and not sees_every_agency(request.user):
            # The roles of an agency's own work; the province's (system administrator, portal editor) are not theirs
            # to give.
            kwargs["queryset"] = Group.objects.exclude(name__in=[Role.SYSTEM_ADMIN, Role.EDITOR, Role.CITIZEN])
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if db_field.name == "groups" and field is not None:
            # A role's group is named by its code ("records_clerk"): the admin reads its label ("Văn thư").
            field.label_from_instance = role_label
        elif db_field.name == "user_permissions":
            _label_permissions(field)
        return field


def role_label(group) -> str:
    from egov.accounts.roles import Role

    return str(Role(group.name).label) if group.name in Role.values else group.name


# Django stores its four permissions of each model with English names ("Can add người dùng", made by `migrate`, not
# translated); the admin's pickers show them in the reader's language instead.
PERMISSION_ACTIONS = {"add": _("Thêm"), "change": _("Sửa"), "delete": _("Xóa"), "view": _("Xem")}


def permission_label(permission) -> str:
    """"Tài khoản và vai trò | người dùng | Thêm": the app, the model and the action, as Django lists them."""
    action, _sep, model_name = permission.codename.partition("_")
    model = permission.content_type.model_class()
    if action in PERMISSION_ACTIONS and model is not None and model_name == model._meta.model_name:
        return f"{permission.content_type} | {PERMISSION_ACTIONS[action]}"
    return str(permission)


def _label_permissions(field):
    if field is not None:
        field.label_from_instance = permission_label
    return field


admin.site.unregister(Group)


@admin.register(Group)
class RoleGroupAdmin(GroupAdmin):
    """A role's group, named by its label ("Văn thư"), its permissions in the reader's language."""

    list_display = ["name", "label"]

    @admin.display(description=_("vai trò"))
    def label(self, group):
        return role_label(group)

    def formfield_for_manytomany(self, db_field, request=None, **kwargs):
        field = super().formfield_for_manytomany(db_field, request=request, **kwargs)
        return _label_permissions(field) if db_field.name == "permissions" else field


class PersonalDataRequestEventInline(admin.TabularInline):
    model = PersonalDataRequestEvent
    fields = ["at", "action_label", "from_state_label", "to_state_label", "actor", "note"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name = _("bước xử lý")
    verbose_name_plural = _("quá trình xử lý")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")

    def has_view_permission(self, request, obj=None):
        # Whoever may see the request sees its history (the rows have no permission of their own to hand out).
        return request.user.has_perm("accounts.view_personaldatarequest")

    @admin.display(description=_("thao tác"))
    def action_label(self, event):
        return event.action_label

    @admin.display(description=_("từ trạng thái"))
    def from_state_label(self, event):
        return event.from_state_label

    @admin.display(description=_("sang trạng thái"))
    def to_state_label(self, event):
        return event.to_state_label


HANDLE_FORM_ID = "data-request-handle-form"
HANDLE_ACTIONS = ("accept", "complete", "erase", "refuse", "extend")
# What the operator typed, kept across the redirect that follows a refusal (request id, action, text).
DRAFT_KEY = "personal_data_request_draft"


class DataRequestHandleForm(forms.Form):
    # The controls name their form (templates/admin/accounts/personaldatarequest/change_form.html).
    action = forms.ChoiceField(label=_("Thao tác"), widget=forms.RadioSelect(attrs={"form": HANDLE_FORM_ID}))
    text = forms.CharField(label=_("Trả lời hoặc lý do"), required=False,
                           widget=forms.Textarea(attrs={"rows": 5, "form": HANDLE_FORM_ID}),
                           help_text=_("Bắt buộc khi trả lời, từ chối hoặc gia hạn: người yêu cầu nhận được nội dung "
                                       "này qua Cổng và thư điện tử."))


@admin.register(PersonalDataRequest)
class PersonalDataRequestAdmin(admin.ModelAdmin):
    """Requests are answered here, one at a time, through the services (egov.accounts.data_requests): the record
    itself is never edited, only moved along its flow, each step told to the citizen."""

    list_display = ["code", "user", "kind", "state", "received_at", "respond_due_at", "due_at", "deadline"]
    list_filter = ["state", "kind"]
    search_fields = ["user__full_name", "user__national_id", "user__username", "user__email", "user__phone"]
    search_help_text = _("Tìm theo họ tên, số định danh, tên đăng nhập, thư điện tử hoặc số điện thoại của người yêu cầu.")
    list_select_related = ["user"]
    fields = ["code", "user", "kind", "details", "state", "received_at", "respond_due_at", "due_at", "extended_at",
              "extension_reason", "handled_by", "answer", "closed_at"]
    readonly_fields = fields
    inlines = [PersonalDataRequestEventInline]
    change_form_template = "admin/accounts/personaldatarequest/change_form.html"

    def has_add_permission(self, request):
        return False  # citizens send requests from their account; nobody files one for them here

    def has_delete_permission(self, request, obj=None):
        return False  # part of the record of how the authority met the citizen's rights

    @admin.display(description=_("mã"))
    def code(self, request_row):
        return request_row.code

    @admin.display(description=_("thời hạn"))
    def deadline(self, request_row):
        from django.utils import timezone

        if not request_row.is_open:
            return "—"
        now = timezone.now()
        if request_row.due_at < now:
            return _("Quá hạn")
        if request_row.state == DataRequestState.RECEIVED and request_row.respond_due_at < now:
            return _("Quá hạn phản hồi")
        return _("Trong hạn")

    def get_urls(self):
        from django.urls import path

        return [path("<path:object_id>/xu-ly/", self.admin_site.admin_view(self.handle_view),
                     name="accounts_personaldatarequest_handle"), *super().get_urls()]

    def handle_actions(self, request_row) -> list[tuple[str, str]]:
        """The steps open to the request now, as (action, label)."""
        from django_fsm import can_proceed

        from egov.accounts.data_requests import ACTION_LABELS

        steps = [("accept", request_row.accept), ("complete", request_row.complete), ("refuse", request_row.refuse),
                 ("extend", request_row.extend)]
        if request_row.kind == DataRequestKind.DELETE and request_row.user.erased_at is None:
            # A request to delete one's data is met, for the account itself, by erasing it (egov.accounts.erasure).
            steps.insert(2, ("erase", request_row.complete))
        return [(name, str(ACTION_LABELS[name])) for name, transition in steps if can_proceed(transition)]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        from egov.accounts.data_requests import can_handle_data_requests

        request_row = self.get_object(request, object_id)
        context = dict(extra_context or {})
        if request_row is not None and can_handle_data_requests(request.user):
            actions = self.handle_actions(request_row)
            draft = request.session.pop(DRAFT_KEY, None)
            if actions:
                # After a refusal (the text was missing, or someone acted first), what was typed is offered again.
                kept = draft if draft and draft.get("id") == request_row.pk else {}
                form = DataRequestHandleForm(initial={"action": kept.get("action"), "text": kept.get("text", "")})
                form.fields["action"].choices = actions
                context.update(handle_form=form, handle_form_id=HANDLE_FORM_ID)
        return super().change_view(request, object_id, form_url, extra_context=context)

    def handle_view(self, request, object_id):
        from django.http import Http404, HttpResponseNotAllowed
        from django.shortcuts import redirect

        from egov.accounts import data_requests
        from egov.audit.middleware import client_ip
        from egov.core.errors import ApplicationError

        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        request_row = self.get_object(request, object_id)
        if request_row is None:
            raise Http404
        form = DataRequestHandleForm(request.POST)
        form.fields["action"].choices = [(name, name) for name in HANDLE_ACTIONS]
        back = redirect("admin:accounts_personaldatarequest_change", request_row.pk)
        if not form.is_valid():
            request.session[DRAFT_KEY] = {"id": request_row.pk, "text": request.POST.get("text", "")}
            self.message_user(request, _("Chọn một thao tác."), level=messages.ERROR)
            return back
        action, text, ip = form.cleaned_data["action"], form.cleaned_data["text"], client_ip(request)
        try:
            if action == "accept":
                data_requests.personal_data_request_accept(request=request_row, by=request.user, ip=ip)
            elif action == "extend":
                data_requests.personal_data_request_extend(request=request_row, by=request.user, reason=text, ip=ip)
            elif action == "erase":
                data_requests.personal_data_request_complete_by_erasing(request=request_row, by=request.user,
                                                                        answer=text, ip=ip)
            else:
                service = {"complete": data_requests.personal_data_request_complete,
                           "refuse": data_requests.personal_data_request_refuse}[action]
                service(request=request_row, by=request.user, answer=text, ip=ip)
        except ApplicationError as refused:
            # What was typed is not lost: the page shows the refusal and offers the text again.
            request.session[DRAFT_KEY] = {"id": request_row.pk, "action": action, "text": text}
            self.message_user(request, refused.message, level=messages.ERROR)
            return back
        self.message_user(request, _("Đã ghi nhận: %(action)s. Người yêu cầu đã được thông báo.")
                          % {"action": data_requests.ACTION_LABELS[action]}, level=messages.SUCCESS)
        return back

