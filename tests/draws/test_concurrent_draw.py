"""Two simultaneous draw requests for one batch produce exactly one draw."""

import threading

import pytest
from django.db import connection
from django.test import Client
from django_tasks_db.models import DBTaskResult

from spotcheck.draws.models import BatchStatus, DrawBatch
from spotcheck.draws.services import batch_commit, batch_create
from tests.draw_fixtures import ceremony_time


@pytest.mark.postgres_only
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs a server database: the SQLite test database is one shared in-memory file",
)
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_requests_draw_once(approved_joint_check, liaison_zhao, office_admin_wang):
    batch = batch_create(
        actor=liaison_zhao,
        name="并发测试",
        tasks=[],
        joint_check=approved_joint_check,
        randomness_source="骰子",
        randomness_due=ceremony_time(),
    )
    batch = batch_commit(actor=liaison_zhao, batch=batch)
    barrier = threading.Barrier(2)
    outcomes = {}

    def request(user, randomness):
        client = Client()
        client.force_login(user)
        barrier.wait()
        try:
            response = client.post(
                f"/draws/{batch.pk}/draw/",
                {"randomness": randomness, "witnesses": "张三"},
                follow=True,
            )
            outcomes[randomness] = response.content.decode()
        finally:
            connection.close()

    threads = [
        threading.Thread(target=request, args=(liaison_zhao, "111111")),
        threading.Thread(target=request, args=(office_admin_wang, "222222")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    batch = DrawBatch.objects.get(pk=batch.pk)
    assert batch.status == BatchStatus.DRAWING
    assert batch.randomness_value in ("111111", "222222")
    loser = "222222" if batch.randomness_value == "111111" else "111111"
    assert "不能再次抽取" in outcomes[loser]
    assert DBTaskResult.objects.filter(task_path__endswith="run_draw").count() == 1
