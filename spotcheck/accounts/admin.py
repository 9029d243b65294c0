from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from spotcheck.audit.event_types import AuditEventType
from spotcheck.audit.services import audit_event_record

from .models import Department, User

# Who someone is allowed to be: a change of any of these is a change of access.
_ACCESS_FIELDS = ("role", "department", "is_active", "is_staff", "is_superuser")


def _plain(value) -> str:
    # A department arrives as a primary key before the change and as an object after it.
    return str(getattr(value, "pk", value))


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "region_code", "is_active"]
    search_fields = ["code", "name"]


@admin.register(User)
class SpotcheckUserAdmin(UserAdmin):
    list_display = ["username", "full_name", "department", "role", "is_active"]
    list_filter = ["role", "department"]
    fieldsets = [
        *UserAdmin.fieldsets,
        ("Spotcheck", {"fields": ["full_name", "department", "role"]}),
    ]

    def save_model(self, request, obj, form, change):
        """Record who changed whose role, department or status, from what to what."""
        super().save_model(request, obj, form, change)
        changed = [name for name in _ACCESS_FIELDS if name in form.changed_data]
        if change and not changed:
            return
        audit_event_record(
            event_type=AuditEventType.USER_UPDATED if change else AuditEventType.USER_CREATED,
            actor=request.user,
            department=obj.department,
            target=obj,
            extra={
                name: {
                    "from": _plain(form.initial.get(name)),
                    "to": _plain(form.cleaned_data[name]),
                }
                for name in (changed if change else _ACCESS_FIELDS)
                if name in form.cleaned_data
            },
        )
