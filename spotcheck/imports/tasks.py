from django.tasks import task


@task()
def run_import_job(job_id: int) -> int:
    from .jobs import import_job_run

    return import_job_run(job_id).pk
