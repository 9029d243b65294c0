"""The field pages through the web: the inspector's work list, the visit, entering and
submitting a result, review (return, fix, approve), amendments, and closing a joint visit.
Other departments' items are listed by name only and their results are simply missing (404)."""

from datetime import datetime

import pytest
import time_machine
from django.utils import timezone

from spotcheck.audit.event_types import AuditEventType
from spotcheck.audit.models import AuditEvent
from spotcheck.inspections import services
from spotcheck.inspections.models import (
    FieldVisit,
    ItemResult,
    ResultAmendment,
    ResultCategory,
    ResultStatus,
)
from tests.draw_fixtures import flashed
from tests.factories import UserFactory

FINDING = "后厨操作间地面积水，已现场指导整改"


def _category(code):
    return ResultCategory.objects.get(code=code)


@pytest.fixture
def reviewer_zhou(health_dept):
    return UserFactory(username="reviewer_zhou", role="reviewer", department=health_dept)


@pytest.fixture
def arrived(client_for, inspector_market, joint_visit):
    client_for(inspector_market).post(f"/inspections/visits/{joint_visit.pk}/arrive/")
    return joint_visit


@pytest.fixture
def market_result(arrived):
    return ItemResult.objects.get(visit=arrived, department__code="SCJGJ")


@pytest.fixture
def health_result(arrived):
    return ItemResult.objects.get(visit=arrived, department__code="WJW")


def _entry(visit, *, categories=("no_problem",), finding=FINDING, confirmations=None, action):
    team = visit.team.filter(recused_at__isnull=True)
    return {
        "categories": [_category(c).pk for c in categories],
        "finding": finding,
        "legal_basis": "《食品安全法》第八十七条",
        "measures": "责令当场改正",
        "method": "on_site",
        "confirmations": confirmations or list(team.values_list("pk", flat=True)),
        "action": action,
    }


@pytest.fixture
def submitted(client_for, inspector_market, market_result, arrived):
    response = client_for(inspector_market).post(
        f"/inspections/results/{market_result.pk}/", _entry(arrived, action="submit")
    )
    assert response.status_code == 302
    market_result.refresh_from_db()
    assert market_result.status == ResultStatus.SUBMITTED
    return market_result


def test_work_list_shows_upcoming_visits_and_flags_overdue_ones(
    client_for, inspector_market, joint_visit, django_assert_max_num_queries
):
    client = client_for(inspector_market)
    # Given a visit planned for 1 December, before anything is done
    # When the inspector opens the work list that morning
    morning = timezone.make_aware(datetime(2026, 12, 1, 8, 0))
    with time_machine.travel(morning, tick=False), django_assert_max_num_queries(8):
        page = client.get("/inspections/mine/").content.decode()
    # Then the visit is there as today's, linking to its field page, and not overdue
    assert f'href="/inspections/visits/{joint_visit.pk}/"' in page
    assert "【今日】" in page
    assert "已超期" not in page

    # Given the visit completed on 1 December and nothing submitted
    with time_machine.travel(timezone.make_aware(datetime(2026, 12, 1, 16, 0)), tick=False):
        client.post(f"/inspections/visits/{joint_visit.pk}/complete/")
    assert FieldVisit.objects.get(visit=joint_visit).results_due.isoformat() == "2026-12-11"
    # When the inspector looks again after the 10 days
    with time_machine.travel(timezone.make_aware(datetime(2026, 12, 12, 8, 0)), tick=False):
        page = client_for(inspector_market).get("/inspections/mine/").content.decode()
    # Then the visit is still listed and flagged overdue
    assert f'href="/inspections/visits/{joint_visit.pk}/"' in page
    assert "【已超期】" in page


def test_work_list_shows_only_the_inspectors_own_visits(client_for, joint_visit, market_dept):
    # Given an inspector who is on no team
    outsider = UserFactory(username="inspector_wu", role="inspector", department=market_dept)
    # When they open the work list
    page = client_for(outsider).get("/inspections/mine/").content.decode()
    # Then nothing of the joint visit is listed
    assert f"/inspections/visits/{joint_visit.pk}/" not in page
    assert "暂无检查任务" in page


def test_arrival_and_completion_are_recorded(client_for, inspector_market, joint_visit):
    client = client_for(inspector_market)
    # When the inspector taps 到达 and then 完成检查
    client.post(f"/inspections/visits/{joint_visit.pk}/arrive/")
    client.post(f"/inspections/visits/{joint_visit.pk}/complete/")
    # Then both times are kept, results are due in 10 days, and both events are audited
    field = FieldVisit.objects.get(visit=joint_visit)
    assert field.arrived_at is not None and field.completed_at is not None
    assert field.outcome == FieldVisit.Outcome.CHECKED
    page = client.get(f"/inspections/visits/{joint_visit.pk}/").content.decode()
    assert 'id="arrived-at"' in page and 'id="completed-at"' in page
    assert 'id="arrive"' not in page and 'id="complete"' not in page
    types = set(AuditEvent.objects.values_list("event_type", flat=True))
    assert {AuditEventType.VISIT_ARRIVED, AuditEventType.VISIT_COMPLETED} <= types


def test_visit_page_lists_other_departments_items_by_name_only(
    client_for, inspector_market, market_result, health_result, joint_visit
):
    # When the market inspector opens the visit
    page = client_for(inspector_market).get(f"/inspections/visits/{joint_visit.pk}/")
    content = page.content.decode()
    # Then the notice, the team and both departments' items are shown…
    assert f"/draws/visits/{joint_visit.pk}/notice.pdf" in content
    assert health_result.item.name in content and market_result.item.name in content
    assert 'id="team"' in content
    # …but only the market item links to its result
    assert f"/inspections/results/{market_result.pk}/" in content
    assert f"/inspections/results/{health_result.pk}/" not in content
    health = content.split('data-department="WJW"')[1].split("</section>")[0]
    assert health_result.item.name in health and 'class="status"' not in health


def test_inspector_of_another_department_cannot_open_the_market_result(
    client_for, submitted, inspector_health, joint_visit
):
    client = client_for(inspector_health)
    # When the health inspector asks for the market result directly
    response = client.get(f"/inspections/results/{submitted.pk}/")
    # Then it is missing, exactly as a result that does not exist
    assert response.status_code == 404
    # And posting to it changes nothing
    assert (
        client.post(
            f"/inspections/results/{submitted.pk}/", _entry(joint_visit, action="save")
        ).status_code
        == 404
    )
    # And the visit page does not give the finding away
    page = client.get(f"/inspections/visits/{joint_visit.pk}/").content.decode()
    assert FINDING not in page
    assert f"/inspections/results/{submitted.pk}/" not in page


def test_inspector_enters_and_submits_a_result(
    client_for, inspector_market, market_result, arrived
):
    client = client_for(inspector_market)
    # Given the form prefilled with the item's legal basis
    form_page = client.get(f"/inspections/results/{market_result.pk}/").content.decode()
    assert market_result.item.legal_basis in form_page
    assert "提交审核" in form_page
    # When the inspector saves, then submits
    client.post(f"/inspections/results/{market_result.pk}/", _entry(arrived, action="save"))
    market_result.refresh_from_db()
    assert market_result.status == ResultStatus.ENTERED
    response = client.post(
        f"/inspections/results/{market_result.pk}/", _entry(arrived, action="submit"), follow=True
    )
    # Then the result waits for review, and each step is audited
    market_result.refresh_from_db()
    assert market_result.status == ResultStatus.SUBMITTED
    assert market_result.finding == FINDING
    assert "已提交审核" in flashed(response)
    events = AuditEvent.objects.filter(
        target_type="inspections.itemresult", target_id=str(market_result.pk)
    )
    assert list(events.values_list("event_type", flat=True)) == [
        AuditEventType.RESULT_ENTERED,
        AuditEventType.RESULT_ENTERED,
        AuditEventType.RESULT_SUBMITTED,
    ]
    assert set(events.values_list("actor", flat=True)) == {inspector_market.pk}


def test_submission_with_one_confirmation_is_refused_in_chinese(
    client_for, inspector_market, market_result, arrived
):
    me = arrived.team.get(inspector__user=inspector_market)
    # When the inspector submits with only their own confirmation
    response = client_for(inspector_market).post(
        f"/inspections/results/{market_result.pk}/",
        _entry(arrived, confirmations=[me.pk], action="submit"),
        follow=True,
    )
    # Then the service's message is shown and the result is kept as entered
    assert "检查结果须经至少两名检查人员确认" in flashed(response)
    market_result.refresh_from_db()
    assert market_result.status == ResultStatus.ENTERED


def test_reviewer_returns_inspector_fixes_reviewer_approves(
    client_for, submitted, reviewer_li, inspector_market, joint_visit
):
    reviewer = client_for(reviewer_li)
    inspector = client_for(inspector_market)
    # Given the submitted result in the reviewer's queue
    queue = reviewer.get("/inspections/review/").content.decode()
    assert f'data-result="{submitted.pk}"' in queue and FINDING in queue
    # When the reviewer returns it without a reason
    response = reviewer.post(
        f"/inspections/results/{submitted.pk}/review/",
        {"decision": "return", "note": "", "back": "queue"},
        follow=True,
    )
    # Then the service asks for one
    assert "退回或不予采纳须填写原因" in flashed(response)
    # When the reviewer returns it with a reason
    reviewer.post(
        f"/inspections/results/{submitted.pk}/review/",
        {"decision": "return", "note": "请补充现场照片", "back": "queue"},
    )
    submitted.refresh_from_db()
    assert submitted.status == ResultStatus.RETURNED
    # Then a returned result cannot be approved without resubmission
    response = reviewer.post(
        f"/inspections/results/{submitted.pk}/review/", {"decision": "approve"}, follow=True
    )
    assert "只有待审核的结果可以审核" in flashed(response)
    # And the inspector sees the reason on the form
    page = inspector.get(f"/inspections/results/{submitted.pk}/").content.decode()
    assert 'id="return-reason"' in page and "请补充现场照片" in page
    # When the inspector fixes and resubmits, and the reviewer approves
    inspector.post(
        f"/inspections/results/{submitted.pk}/",
        _entry(joint_visit, finding="已补充照片", action="submit"),
    )
    reviewer.post(f"/inspections/results/{submitted.pk}/review/", {"decision": "approve"})
    # Then it is approved, by the reviewer, and each decision is audited
    submitted.refresh_from_db()
    assert submitted.status == ResultStatus.APPROVED
    assert submitted.reviewer == reviewer_li
    types = list(
        AuditEvent.objects.filter(
            target_type="inspections.itemresult", target_id=str(submitted.pk)
        ).values_list("event_type", flat=True)
    )
    assert types[-4:] == [
        AuditEventType.RESULT_RETURNED,
        AuditEventType.RESULT_ENTERED,
        AuditEventType.RESULT_SUBMITTED,
        AuditEventType.RESULT_APPROVED,
    ]


def test_reviewer_on_the_visit_team_is_told_why_not(
    client_for, submitted, joint_visit, market_dept
):
    # Given a market reviewer who is also one of the visit's inspectors
    on_team = (
        joint_visit.team.filter(department=market_dept)
        .select_related("inspector__user")
        .order_by("-rank")
        .first()
        .inspector.user
    )
    on_team.role = "reviewer"
    on_team.save()
    # When they try to approve
    response = client_for(on_team).post(
        f"/inspections/results/{submitted.pk}/review/",
        {"decision": "approve", "back": "queue"},
        follow=True,
    )
    # Then the service's rule is shown in Chinese and nothing changes
    assert "审核人不能是本次检查的执法人员" in flashed(response)
    submitted.refresh_from_db()
    assert submitted.status == ResultStatus.SUBMITTED


def test_review_queue_is_department_scoped(client_for, submitted, reviewer_zhou):
    # When the health reviewer opens the queue
    page = client_for(reviewer_zhou).get("/inspections/review/").content.decode()
    # Then the market result is not there, and reviewing it directly is a 404
    assert f'data-result="{submitted.pk}"' not in page
    response = client_for(reviewer_zhou).post(
        f"/inspections/results/{submitted.pk}/review/", {"decision": "approve"}
    )
    assert response.status_code == 404


def test_amendment_after_approval_appears_in_history(
    client_for, submitted, reviewer_li, inspector_market
):
    client_for(reviewer_li).post(
        f"/inspections/results/{submitted.pk}/review/", {"decision": "approve"}
    )
    inspector = client_for(inspector_market)
    # When the inspector proposes a correction and the reviewer accepts it
    inspector.post(
        f"/inspections/results/{submitted.pk}/amendments/",
        {
            "reason": "录入时选错结果类别",
            "categories": [_category("corrected").pk],
            "finding": "发现问题已当场责令改正",
            "measures": "",
        },
    )
    amendment = ResultAmendment.objects.get(result=submitted)
    queue = client_for(reviewer_li).get("/inspections/review/").content.decode()
    assert "录入时选错结果类别" in queue
    client_for(reviewer_li).post(
        f"/inspections/amendments/{amendment.pk}/review/", {"decision": "approve"}
    )
    # Then the original stays, and the page shows the history and what stands now
    submitted.refresh_from_db()
    assert [c.code for c in submitted.categories.all()] == ["no_problem"]
    page = inspector.get(f"/inspections/results/{submitted.pk}/").content.decode()
    assert "原始结果" in page and FINDING in page
    history = page.split('id="history"')[1]
    assert "录入时选错结果类别" in history and "已生效" in history and str(reviewer_li) in history
    effective = page.split('id="effective">')[1].split("</p>")[0]
    assert effective == "发现问题已责令改正"


def test_visit_that_could_not_happen_is_recorded_with_its_category(
    client_for, inspector_market, joint_visit
):
    client = client_for(inspector_market)
    # When the inspector picks a category that is not a "could not check" one
    client.post(
        f"/inspections/visits/{joint_visit.pk}/not-possible/",
        {"category": _category("no_problem").pk, "note": "x"},
    )
    # Then nothing is recorded
    assert not FieldVisit.objects.filter(visit=joint_visit).exists()
    # When they record that the address was unreachable
    client.post(
        f"/inspections/visits/{joint_visit.pk}/not-possible/",
        {"category": _category("unreachable").pk, "note": "现场无人，电话无法接通"},
    )
    # Then the visit and every item carry that category
    field = FieldVisit.objects.get(visit=joint_visit)
    assert field.outcome == FieldVisit.Outcome.NOT_POSSIBLE
    assert field.not_possible_category.code == "unreachable"
    for result in ItemResult.objects.filter(visit=joint_visit):
        assert [c.code for c in result.categories.all()] == ["unreachable"]


def test_lead_department_sees_every_status_and_closes_when_all_approved(
    client_for,
    submitted,
    health_result,
    reviewer_li,
    reviewer_zhou,
    inspector_health,
    liaison_zhao,
    joint_visit,
):
    lead = client_for(liaison_zhao)
    client_for(reviewer_li).post(
        f"/inspections/results/{submitted.pk}/review/", {"decision": "approve"}
    )
    # Given the health result still open, the lead sees its status but no close button
    page = lead.get(f"/inspections/visits/{joint_visit.pk}/").content.decode()
    health = page.split('data-department="WJW"')[1].split("</section>")[0]
    assert "未录入" in health and f"/inspections/results/{health_result.pk}/" not in health
    assert 'id="close-visit"' not in page
    # When the health department enters, submits and approves its item
    client_for(inspector_health).post(
        f"/inspections/results/{health_result.pk}/", _entry(joint_visit, action="submit")
    )
    client_for(reviewer_zhou).post(
        f"/inspections/results/{health_result.pk}/review/", {"decision": "approve"}
    )
    # Then the lead sees both approved and closes the visit
    page = lead.get(f"/inspections/visits/{joint_visit.pk}/").content.decode()
    assert page.count("已审核 1 / 1") == 2
    assert 'id="close-visit"' in page
    lead.post(f"/inspections/visits/{joint_visit.pk}/close/")
    field = FieldVisit.objects.get(visit=joint_visit)
    assert field.closed_at is not None and field.closed_by == liaison_zhao


def test_close_before_everything_is_approved_names_the_department(
    client_for, submitted, reviewer_li, liaison_zhao, joint_visit
):
    services.result_review(actor=reviewer_li, result=submitted, decision="approve")
    # When the lead tries to close with the health result still open
    response = client_for(liaison_zhao).post(
        f"/inspections/visits/{joint_visit.pk}/close/", follow=True
    )
    # Then the department still pending is named
    assert "以下部门的结果尚未审核通过：东城区卫生健康委员会" in flashed(response)
    assert FieldVisit.objects.get(visit=joint_visit).closed_at is None


def test_submitted_result_cannot_be_changed_through_the_form(
    client_for, submitted, inspector_market, joint_visit
):
    # When the inspector posts the form again after submission
    response = client_for(inspector_market).post(
        f"/inspections/results/{submitted.pk}/",
        _entry(joint_visit, finding="改过的", action="save"),
    )
    # Then the service refuses in Chinese and the submitted finding stands
    assert "结果已提交或已审核，不能修改；审核后的更正请提出更正申请" in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.finding == FINDING and submitted.status == ResultStatus.SUBMITTED
