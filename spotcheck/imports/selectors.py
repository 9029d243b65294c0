from django.db.models import QuerySet

from spotcheck.accounts.scoping import get_scoped_or_404, scope_to_department

from .models import ImportJob


def import_job_list(*, user) -> QuerySet[ImportJob]:
    return scope_to_department(ImportJob.objects.select_related("department", "created_by"), user)


def access_import_job(user, job_id: int) -> ImportJob:
    return get_scoped_or_404(import_job_list(user=user), pk=job_id)
