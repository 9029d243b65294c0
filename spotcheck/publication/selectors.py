"""Staff-side reads, user-scoped: the same 404 for a missing task and another department's."""

from django.http import Http404

from spotcheck.plans.models import SpotCheckTask

from .models import DisclosureExemption, ExemptionStatus, PublicationReminder, PublicRecord
from .units import completed_units, withheld_visit_ids


def access_publication_task(user, task_id: int) -> SpotCheckTask:
    """The office sees every task; a department only its own."""
    tasks = SpotCheckTask.objects.select_related("department", "plan")
    if not user.is_office:
        tasks = tasks.filter(department=user.department_id)
    task = tasks.filter(pk=task_id).first()
    if task is None:
        raise Http404
    return task


def task_publication_rows(task) -> list[dict]:
    """Each completed visit of the task with where it stands on the way to the public."""
    records = {r.visit_id: r for r in PublicRecord.objects.filter(task=task)}
    exemptions = {
        e.visit_id: e
        for e in DisclosureExemption.objects.filter(task=task).exclude(
            status=ExemptionStatus.REFUSED
        )
    }
    withheld = withheld_visit_ids(task)
    return [
        {
            "unit": unit,
            "record": records.get(unit.visit.pk),
            "exemption": exemptions.get(unit.visit.pk),
            "publishable": unit.ready and unit.visit.pk not in withheld,
        }
        for unit in completed_units(task)
    ]


def exemption_list(*, user):
    """Requests to withhold results: the office decides them, a department sees its own."""
    exemptions = DisclosureExemption.objects.select_related(
        "task", "visit__entity", "department", "requested_by"
    )
    return exemptions if user.is_office else exemptions.filter(department=user.department_id)


def reminder_list(*, user):
    return PublicationReminder.objects.filter(user=user.pk, read_at__isnull=True).select_related(
        "task"
    )
