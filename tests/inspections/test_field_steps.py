"""Field steps say where the visit stands: arrival changes its state (检查中) and warns when it is
well before the planned date; completion gives the due date; the work list flags returned
results and stops asking for results once all are submitted."""

from datetime import timedelta

import time_machine
from django.utils import timezone

from spotcheck.inspections import services
from spotcheck.inspections.models import ItemResult, ResultCategory
from tests.draw_fixtures import flashed


def test_arrival_changes_the_state_and_warns_a_week_early(
    client_for, inspector_market, joint_visit
):
    client = client_for(inspector_market)
    week_early = joint_visit.planned_date - timedelta(days=7)
    with time_machine.travel(week_early, tick=False):
        response = client.post(f"/inspections/visits/{joint_visit.pk}/arrive/", follow=True)
    shown = flashed(response)
    assert "已记录到达时间" in shown
    assert any("早 7 天" in m and joint_visit.planned_date.isoformat() in m for m in shown)
    assert 'id="outcome">检查中<' in response.content.decode()
    work = client.get("/inspections/mine/").content.decode()
    assert "检查中" in work


def test_arrival_on_the_planned_date_says_nothing_more(client_for, inspector_market, joint_visit):
    with time_machine.travel(joint_visit.planned_date, tick=False):
        response = client_for(inspector_market).post(
            f"/inspections/visits/{joint_visit.pk}/arrive/", follow=True
        )
    assert flashed(response) == ["已记录到达时间"]


def test_completion_names_the_due_date(client_for, inspector_market, joint_visit):
    response = client_for(inspector_market).post(
        f"/inspections/visits/{joint_visit.pk}/complete/", follow=True
    )
    due = (timezone.localdate() + timedelta(days=10)).isoformat()
    assert flashed(response) == [f"已完成现场检查，结果报送期限为 {due}"]


def _submit(visit, user, reviewer=None, decision=None):
    services.ensure_results(visit)
    result = ItemResult.objects.get(visit=visit, department=user.inspector.department)
    services.result_enter(
        actor=user,
        result=result,
        categories=list(ResultCategory.objects.filter(code="no_problem")),
        finding="经查未发现问题",
        confirmations=list(visit.team.values_list("pk", flat=True)),
    )
    services.result_submit(actor=user, result=result)
    if decision:
        services.result_review(actor=reviewer, result=result, decision=decision, note="请补充照片")
    return result


def test_work_list_flags_a_returned_result(client_for, inspector_market, joint_visit, reviewer_li):
    services.visit_complete(actor=inspector_market, visit=joint_visit)
    _submit(joint_visit, inspector_market, reviewer_li, "return")
    work = client_for(inspector_market).get("/inspections/mine/").content.decode()
    assert "【有结果被退回】" in work


def test_work_list_stops_asking_once_results_are_submitted(
    client_for, inspector_market, inspector_health, joint_visit
):
    # on the planned day, the visit stays on the list whatever its results
    with time_machine.travel(joint_visit.planned_date, tick=False):
        services.visit_complete(actor=inspector_market, visit=joint_visit)
        client = client_for(inspector_market)
        assert "结果报送期限" in client.get("/inspections/mine/").content.decode()
        _submit(joint_visit, inspector_market)
        _submit(joint_visit, inspector_health)
        work = client.get("/inspections/mine/").content.decode()
    assert "结果报送期限" not in work
    assert "结果已全部报送" in work
