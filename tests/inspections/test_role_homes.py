"""Each role's home (工作台) lists what waits for it, most urgent first, each entry a link;
a visitor who is not signed in lands on the public site."""

from datetime import timedelta

import time_machine

from spotcheck.draws.models import BatchStatus
from spotcheck.inspections import services
from spotcheck.inspections.models import ItemResult, ResultCategory
from spotcheck.inspections.todo import working_days_left
from spotcheck.plans.models import JointCheck, JointCheckStatus
from tests.draw_fixtures import team_member


def _section(page: str, key: str) -> str:
    start = page.index(f'id="todo-{key}"')
    return page[start : page.index("</section>", start)]


def test_a_visitor_lands_on_the_public_site(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/public/items/"


def test_inspector_sees_todays_visits_and_returned_results(client_for, joint_visit, reviewer_li):
    inspector = team_member(joint_visit, "SCJGJ").inspector.user
    client = client_for(inspector)
    with time_machine.travel(joint_visit.planned_date, tick=False):
        page = client.get("/").content.decode()
    visits = _section(page, "visits")
    assert joint_visit.entity.name in visits and "今日" in visits
    assert f"/inspections/visits/{joint_visit.pk}/" in visits

    # a result the reviewer returns comes first, with the reason
    services.ensure_results(joint_visit)
    result = ItemResult.objects.get(visit=joint_visit, department__code="SCJGJ")
    services.result_enter(
        actor=inspector,
        result=result,
        categories=list(ResultCategory.objects.filter(code="no_problem")),
        finding="经查未发现问题",
        confirmations=list(joint_visit.team.values_list("pk", flat=True)),
    )
    services.result_submit(actor=inspector, result=result)
    services.result_review(actor=reviewer_li, result=result, decision="return", note="请补充照片")
    page = client.get("/").content.decode()
    returned = _section(page, "returned")
    assert f"/inspections/results/{result.pk}/" in returned and "请补充照片" in returned
    assert page.index('id="todo-returned"') < page.index('id="todo-visits"')


def test_reviewer_sees_the_queue_with_working_days_left(client_for, joint_visit, reviewer_li):
    inspector = team_member(joint_visit, "SCJGJ").inspector.user
    # checked on the planned day: the deadline 20 working days on stays in the seeded calendar
    with time_machine.travel(joint_visit.planned_date, tick=False):
        services.visit_complete(actor=inspector, visit=joint_visit)
        services.ensure_results(joint_visit)
        result = ItemResult.objects.get(visit=joint_visit, department__code="SCJGJ")
        services.result_enter(
            actor=inspector,
            result=result,
            categories=list(ResultCategory.objects.filter(code="no_problem")),
            finding="经查未发现问题",
            confirmations=list(joint_visit.team.values_list("pk", flat=True)),
        )
        services.result_submit(actor=inspector, result=result)
        review = _section(client_for(reviewer_li).get("/").content.decode(), "review")
    assert f"/inspections/results/{result.pk}/" in review
    assert "距公示期限还有 20 个工作日" in review


def test_liaison_sees_a_joint_check_invitation(client_for, liaison_zhao, liaison_sun, district):
    from datetime import date

    from spotcheck.plans.services import joint_check_create

    joint = joint_check_create(
        actor=liaison_zhao,
        name="住宿场所联合抽查",
        partners=[liaison_sun.department],
        planned_start=date(2027, 3, 1),
        planned_end=date(2027, 3, 31),
    )
    invitations = _section(client_for(liaison_sun).get("/").content.decode(), "invitations")
    assert "住宿场所联合抽查" in invitations
    assert f"/plans/joint/{joint.pk}/" in invitations


def test_office_sees_approvals_and_failed_draws(client_for, office_admin_wang, drawn_batch):
    JointCheck.objects.update(status=JointCheckStatus.SUBMITTED)
    drawn_batch.status = BatchStatus.FAILED
    drawn_batch.failure = "检查 V000003 无可派执法人员"
    drawn_batch.save()
    page = client_for(office_admin_wang).get("/").content.decode()
    assert f"/plans/joint/{JointCheck.objects.get().pk}/" in _section(page, "approvals")
    failed = _section(page, "failed")
    assert f"/draws/{drawn_batch.pk}/" in failed and "无可派执法人员" in failed


def test_working_days_left_follow_the_office_calendar(db):
    from datetime import date

    monday = date(2026, 11, 2)
    assert working_days_left(monday, monday) == 20
    assert working_days_left(monday, monday + timedelta(days=7)) == 15
    assert working_days_left(monday, monday + timedelta(days=35)) == -5
    # Spring Festival 2026: 20 working days after 6 February end on 12 March, not 6 March
    assert working_days_left(date(2026, 2, 6), date(2026, 2, 6)) == 20
    assert working_days_left(date(2026, 2, 6), date(2026, 3, 12)) == 0


def test_no_count_is_shown_when_the_calendar_lacks_the_year(db):
    from datetime import date

    # 2026 is the table's last year: a December deadline runs into 2027, so no guess
    assert working_days_left(date(2026, 12, 20), date(2026, 12, 21)) is None


def test_a_stopped_draw_waits_on_its_liaisons_home_and_the_offices(
    client_for, liaison_zhao, liaison_sun, office_admin_wang, drawn_batch
):
    # Given the market department's batch whose draw job stopped (继续抽取 on its page)
    from django.utils import timezone

    drawn_batch.status = BatchStatus.DRAWING
    drawn_batch.draw_stopped_at = timezone.now()
    drawn_batch.save()
    # Then its liaison and the office find it on their home, with a link to the batch
    for user in (liaison_zhao, office_admin_wang):
        failed = _section(client_for(user).get("/").content.decode(), "failed")
        assert f"/draws/{drawn_batch.pk}/" in failed and "可在批次页面继续抽取" in failed
    # and the partner department's liaison, who may not resume it, does not
    assert 'id="todo-failed"' not in client_for(liaison_sun).get("/").content.decode()
