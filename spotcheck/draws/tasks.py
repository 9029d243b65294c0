from django.tasks import task


@task()
def run_draw(batch_id: int) -> int:
    from .drawing import batch_run_draw

    return batch_run_draw(batch_id).pk


@task()
def build_notice_archive(archive_id: int) -> int:
    from .archives import notice_archive_build

    return notice_archive_build(archive_id).pk
