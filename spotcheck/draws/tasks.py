from django.tasks import task


@task()
def run_draw(batch_id: int) -> int:
    from .drawing import batch_run_draw

    return batch_run_draw(batch_id).pk
