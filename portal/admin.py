"""Editors manage news and directions, and each agency's office its leaders' calendar, in the admin.

Every save goes through the services (HTML cleaned, slug fixed, calendar revisions recorded); the
feedback is read-only here: it changes only through the competent agency's page, which keeps its events.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from egov.agencies.models import Agency
from egov.core.errors import ApplicationError
from portal.models import Article, ArticleAttachment, CalendarEntry, Feedback, FeedbackEvent
from portal.services.articles import article_attachment_prepare, article_save
from portal.services.calendar import calendar_can_manage, calendar_entry_cancel, calendar_entry_save


class ArticleAttachmentForm(forms.ModelForm):
    class Meta:
        model = ArticleAttachment
        fields = ["file"]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload and hasattr(upload, "content_type"):  # a new upload, not the stored file
            try:
                article_attachment_prepare(attachment=self.instance, upload=upload)
            except ApplicationError as exc:
                raise ValidationError(exc.message) from exc
        return upload


class ArticleAttachmentInline(admin.TabularInline):
    model = ArticleAttachment
    form = ArticleAttachmentForm
    extra = 1
    fields = ["file", "original_name", "content_type", "size", "public_url"]
    readonly_fields = ["original_name", "content_type", "size", "public_url"]

    @admin.display(description=_("đường dẫn công khai (chèn vào nội dung)"))
    def public_url(self, obj):
        from django.urls import reverse

        return reverse("portal:article_file", args=[obj.pk]) if obj.pk else "—"


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "agency", "published_at", "editor"]
    list_filter = ["kind", "agency"]
    search_fields = ["title", "summary"]
    date_hierarchy = "published_at"
    fields = ["kind", "title", "slug", "summary", "body", "agency", "published_at", "editor"]
    readonly_fields = ["editor"]
    inlines = [ArticleAttachmentInline]

    def save_model(self, request, obj, form, change):
        article_save(article=obj, editor=request.user)


class CalendarEntryForm(forms.ModelForm):
    class Meta:
        model = CalendarEntry
        fields = ["agency", "date", "start_time", "end_time", "content", "place", "participants", "preparing_unit",
                  "is_published"]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_time"), cleaned.get("end_time")
        if start and end and end <= start:
            self.add_error("end_time", _("Giờ kết thúc phải sau giờ bắt đầu."))
        return cleaned


@admin.register(CalendarEntry)
class CalendarEntryAdmin(admin.ModelAdmin):
    form = CalendarEntryForm
    list_display = ["date", "start_time", "content_short", "agency", "place", "is_published", "revised_at", "cancelled_at"]
    list_filter = ["is_published", "agency", "date"]
    search_fields = ["content", "participants", "place"]
    date_hierarchy = "date"
    actions = ["cancel_entries"]

    @admin.display(description=_("nội dung"))
    def content_short(self, obj):
        return obj.content[:80]

    def get_queryset(self, request):
        entries = super().get_queryset(request).select_related("agency")
        if request.user.is_superuser:
            return entries
        return entries.filter(agency_id=request.user.agency_id)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "agency" and not request.user.is_superuser:
            kwargs["queryset"] = Agency.objects.filter(pk=request.user.agency_id)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or calendar_can_manage(user=request.user, agency_id=obj.agency_id))

    def save_model(self, request, obj, form, change):
        calendar_entry_save(entry=obj, by=request.user)

    @admin.action(description=_("Hủy lịch đã chọn (vẫn hiển thị, gạch ngang)"))
    def cancel_entries(self, request, queryset):
        done = 0
        for entry in queryset:
            try:
                calendar_entry_cancel(entry=entry, by=request.user)
                done += 1
            except ApplicationError as exc:
                self.message_user(request, f"{entry}: {exc.message}", messages.WARNING)
        self.message_user(request, _("Đã hủy %(n)s lịch công tác.") % {"n": done})


class FeedbackEventInline(admin.TabularInline):
    model = FeedbackEvent
    extra = 0
    can_delete = False
    fields = ["at", "action", "from_state", "to_state", "actor", "note"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Feedback)
class FeedbackAdmin(admin.ModelAdmin):
    list_display = ["__str__", "title", "agency", "state", "received_at", "due_at"]
    list_filter = ["state", "subject_kind", "agency"]
    search_fields = ["title"]
    inlines = [FeedbackEventInline]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
