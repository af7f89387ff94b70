from django.contrib import admin

from public_services.payments.models import Payment, PaymentEvent


class PaymentEventInline(admin.TabularInline):
    model = PaymentEvent
    extra = 0
    can_delete = False
    readonly_fields = ["at", "action", "source", "actor", "from_state", "to_state", "data"]


@admin.register(Payment)
class PaymentAdmin(admin.ModelAdmin):
    # Read-only: every change goes through the services (IPN, expiry), so the history stays true.
    list_display = ["txn_ref", "dossier", "amount_vnd", "state", "provider", "created_at", "paid_at"]
    list_filter = ["state", "refund_reason", "provider"]
    search_fields = ["txn_ref", "dossier__code", "provider_transaction_no"]
    list_select_related = ["dossier"]
    inlines = [PaymentEventInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
