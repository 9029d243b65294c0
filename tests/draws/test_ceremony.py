"""The draw ceremony from commitment to staffed joint visits, verified by the public kit."""

import subprocess
import sys

import pytest
from django.core.exceptions import ValidationError

from spotcheck.draws.models import BatchStatus, Visit, VisitInspector
from spotcheck.draws.recusal import team_member_recuse
from spotcheck.draws.services import batch_folder, batch_request_draw
from spotcheck.plans.models import TaskStatus
from tests.draw_fixtures import commit_joint_check, draw


@pytest.fixture
def committed(approved_joint_check, liaison_zhao, draws_root):
    return commit_joint_check(approved_joint_check, liaison_zhao)


def test_commit_freezes_and_publishes_the_inputs(committed):
    assert committed.status == BatchStatus.COMMITTED
    assert len(committed.population_root) == 64 and len(committed.design_hash) == 64
    assert committed.population_lines == 120  # 60 entities × 2 tasks
    assert set(committed.tasks.values_list("status", flat=True)) == {TaskStatus.COMMITTED}


def test_draw_makes_joint_visits_with_a_team_from_each_department(
    committed, liaison_zhao, django_capture_on_commit_callbacks
):
    batch = draw(committed, liaison_zhao, django_capture_on_commit_callbacks)
    assert batch.status == BatchStatus.DRAWN, batch.failure
    visits = Visit.objects.filter(batch=batch).prefetch_related("tasks", "team")
    assert visits.exists()
    selections = sum(v.tasks.count() for v in visits)
    # the same ticket per entity: both departments draw every C and D firm, so they share visits
    assert batch.visits_saved == selections - visits.count() >= 10
    for visit in visits:
        departments = {m.department.code for m in visit.team.all()}
        task_departments = {t.department.code for t in visit.tasks.all()}
        assert departments == task_departments
        assert visit.team.count() >= 2


def test_the_published_kit_verifies_independently(
    committed, liaison_zhao, django_capture_on_commit_callbacks
):
    batch = draw(committed, liaison_zhao, django_capture_on_commit_callbacks)
    kit = batch_folder(batch) / "kit"
    result = subprocess.run(
        [sys.executable, str(kit / "verify.py"), str(kit)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.stdout.strip() == "MATCH", result.stdout + result.stderr


def test_no_second_draw_of_a_drawn_batch(
    committed, liaison_zhao, django_capture_on_commit_callbacks
):
    batch = draw(committed, liaison_zhao, django_capture_on_commit_callbacks)
    with pytest.raises(ValidationError) as caught:
        batch_request_draw(actor=liaison_zhao, batch=batch, randomness="27182818")
    assert "不能再次抽取" in caught.value.messages[0]
    batch.refresh_from_db()
    assert batch.randomness_value == "31415926"


def test_recusal_takes_the_next_in_the_ranking_and_keeps_both(
    committed, liaison_zhao, django_capture_on_commit_callbacks
):
    batch = draw(committed, liaison_zhao, django_capture_on_commit_callbacks)
    member = VisitInspector.objects.filter(visit__batch=batch).first()
    replacement = team_member_recuse(actor=liaison_zhao, member=member, reason="近亲属在该企业任职")
    member.refresh_from_db()
    assert member.replaced_by == replacement and member.recusal_reason == "近亲属在该企业任职"
    assert replacement.inspector != member.inspector
    assert replacement.department == member.department
    team = set(member.visit.team.serving().values_list("inspector_id", flat=True))
    assert member.inspector_id not in team and replacement.inspector_id in team
