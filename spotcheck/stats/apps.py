from django.apps import AppConfig


class StatsConfig(AppConfig):
    name = "spotcheck.stats"
    label = "stats"

    def ready(self) -> None:
        from spotcheck.inspections.todo import section_providers

        from .joint_reports import admin  # noqa: F401  (registers the timetable's admin)
        from .joint_reports.todo import report_sections

        # stats comes after inspections in the import order: it adds its sections to the home.
        if report_sections not in section_providers:  # ready() may run more than once
            section_providers.append(report_sections)
