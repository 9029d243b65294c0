from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Inspector, InspectorConflict, MarketEntity


@admin.register(MarketEntity)
class MarketEntityAdmin(SimpleHistoryAdmin):
    list_display = ["key", "name", "entity_type", "status", "credit_class", "abnormal_listed"]
    list_filter = ["entity_type", "status", "credit_class", "abnormal_listed"]
    search_fields = ["key", "name"]
    filter_horizontal = ["departments"]
    show_full_result_count = False


@admin.register(Inspector)
class InspectorAdmin(SimpleHistoryAdmin):
    list_display = ["name", "department", "certificate_number", "certificate_expiry", "status"]
    list_filter = ["department", "status"]
    search_fields = ["name", "certificate_number"]


@admin.register(InspectorConflict)
class InspectorConflictAdmin(admin.ModelAdmin):
    list_display = ["inspector", "entity", "reason", "declared_at"]
    raw_id_fields = ["inspector", "entity"]
