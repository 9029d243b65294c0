"""The office does not review results: its review page says so plainly, and says who does,
instead of showing cards without buttons."""

from spotcheck.inspections import services
from spotcheck.inspections.models import ItemResult, ResultCategory
from tests.draw_fixtures import team_member


def _submit_market_result(joint_visit):
    services.ensure_results(joint_visit)
    user = team_member(joint_visit, "SCJGJ").inspector.user
    result = ItemResult.objects.get(visit=joint_visit, department__code="SCJGJ")
    services.result_enter(
        actor=user,
        result=result,
        categories=list(ResultCategory.objects.filter(code="no_problem")),
        finding="经查未发现问题",
        confirmations=list(joint_visit.team.values_list("pk", flat=True)),
    )
    return services.result_submit(actor=user, result=result)


def test_the_office_sees_the_queue_read_only_with_who_reviews(
    client_for, office_admin_wang, reviewer_li, joint_visit
):
    _submit_market_result(joint_visit)
    page = client_for(office_admin_wang).get("/inspections/review/").content.decode()
    assert "联席会议办公室不审核检查结果" in page
    assert "待东城区市场监督管理局审核人审核" in page
    assert 'name="decision"' not in page
    reviewer_page = client_for(reviewer_li).get("/inspections/review/").content.decode()
    assert "联席会议办公室不审核检查结果" not in reviewer_page
    assert 'name="decision"' in reviewer_page
