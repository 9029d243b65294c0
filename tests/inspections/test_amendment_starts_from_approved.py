"""An amendment starts from the approved values, and once approved the follow-up page shows the
amended finding, not the one it replaced."""

import re

from spotcheck.inspections import services
from spotcheck.inspections.models import FollowUp, ItemResult, ResultCategory
from tests.draw_fixtures import team_member

FINDING = "后厨地面积水，冷藏柜温度12℃"
AMENDED = "后厨地面积水，冷藏柜温度12℃；复核发现未公示年度报告"


def _approved_follow_up(visit, reviewer):
    services.ensure_results(visit)
    user = team_member(visit, "SCJGJ").inspector.user
    result = ItemResult.objects.get(visit=visit, department__code="SCJGJ")
    services.result_enter(
        actor=user,
        result=result,
        categories=list(ResultCategory.objects.filter(code="follow_up")),
        finding=FINDING,
        measures="移交执法科立案调查",
        confirmations=list(visit.team.values_list("pk", flat=True)),
    )
    services.result_submit(actor=user, result=result)
    return user, services.result_review(actor=reviewer, result=result, decision="approve")


def test_amendment_form_is_filled_with_the_approved_values(client_for, joint_visit, reviewer_li):
    user, result = _approved_follow_up(joint_visit, reviewer_li)
    page = client_for(user).get(f"/inspections/results/{result.pk}/").content.decode()
    amend = page[page.index('id="amend"') :]
    assert f"{FINDING}</textarea>" in amend
    assert "移交执法科立案调查</textarea>" in amend
    follow_up = ResultCategory.objects.get(code="follow_up")
    assert re.search(rf'name="categories" value="{follow_up.pk}"[^>]*checked', amend)


def test_follow_up_page_shows_the_amended_finding(
    client_for, joint_visit, reviewer_li, liaison_zhao
):
    user, result = _approved_follow_up(joint_visit, reviewer_li)
    amendment = services.amendment_propose(
        actor=user,
        result=result,
        reason="复核补充",
        categories=list(ResultCategory.objects.filter(code__in=["follow_up", "not_published"])),
        finding=AMENDED,
    )
    services.amendment_review(actor=reviewer_li, amendment=amendment, approve=True)
    follow_up = FollowUp.objects.get(result=result)
    page = client_for(liaison_zhao).get(f"/inspections/follow-ups/{follow_up.pk}/")
    text = page.content.decode()
    assert f'id="effective-finding">{AMENDED}<' in text
    assert "未按规定公示应当公示的信息" in text
