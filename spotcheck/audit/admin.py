from django.contrib import admin

from .models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the trail is append-only and hash-chained."""

    list_display = [
        "id",
        "occurred_at",
        "event_type",
        "actor",
        "department",
        "target_type",
        "target_id",
    ]
    list_filter = ["event_type", "department"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
