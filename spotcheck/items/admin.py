from django.contrib import admin

from .models import CheckItem, CheckItemVersion, JointItem


class VersionInline(admin.TabularInline):
    model = CheckItemVersion
    extra = 0
    can_delete = False
    fields = ["number", "category", "name", "kind", "ratio_cap", "created_at", "created_by"]
    readonly_fields = fields  # versions are never edited; revise through the app


@admin.register(CheckItem)
class CheckItemAdmin(admin.ModelAdmin):
    list_display = ["code", "department", "current_version", "is_active"]
    list_filter = ["department", "is_active"]
    search_fields = ["code", "current_version__name"]
    readonly_fields = ["current_version"]
    inlines = [VersionInline]


@admin.register(JointItem)
class JointItemAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "lead_department"]
    filter_horizontal = ["departments", "items"]
