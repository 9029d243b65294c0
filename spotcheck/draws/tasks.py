from django.tasks import task


def _offer_merges(batch) -> None:
    """A drawn batch's firms drawn by another department in the same days are offered as joint
    visits (a group already offered is not offered again)."""
    from spotcheck.inspections.merging import merge_offers_detect

    from .models import BatchStatus

    if batch.status == BatchStatus.DRAWN:
        merge_offers_detect(entity_ids=batch.visits.values("entity"))


@task()
def run_draw(batch_id: int) -> int:
    from .drawing import batch_run_draw
    from .resume import draw_job_watch

    with draw_job_watch(batch_id, "run_draw"):
        batch = batch_run_draw(batch_id)
    _offer_merges(batch)  # a split draw is still drawing here: its merge job offers them
    return batch.pk


@task()
def build_notice_archive(archive_id: int) -> int:
    from .archives import notice_archive_build

    return notice_archive_build(archive_id).pk


@task()
def run_draw_range(batch_id: int, index: int) -> None:
    from .ranges import batch_draw_range
    from .resume import draw_job_watch

    with draw_job_watch(batch_id, "run_draw_range", range=index):
        batch_draw_range(batch_id, index)


@task()
def merge_draw(batch_id: int) -> int:
    from .ranges import batch_merge_draw
    from .resume import draw_job_watch

    with draw_job_watch(batch_id, "merge_draw"):
        batch = batch_merge_draw(batch_id)
    _offer_merges(batch)
    return batch.pk
