from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import Department, User


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
