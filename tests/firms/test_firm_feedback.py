"""The firm rates a visit and asks for a recusal with its code and the PIN on its notice."""

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from spotcheck.audit.event_types import AuditEventType
from spotcheck.audit.models import AuditEvent
from spotcheck.draws.publication import format_access_code
from spotcheck.firms.limits import PIN_FAILURES_PER_HOUR
from spotcheck.firms.models import RecusalRequest, RecusalRequestStatus, VisitRating
from spotcheck.firms.selectors import MIN_RATINGS_FOR_AVERAGE, department_rating_summary
from spotcheck.inspections.services import visit_arrive, visit_complete
from tests.draw_fixtures import flashed, team_member
from tests.firms.printed import printed_pin


@pytest.fixture(autouse=True)
def fresh_limits():
    cache.clear()


def code_of(visit):
    return format_access_code(visit.access_code)


def rate(visit, *, pin=None, stars="4", text="态度好"):
    return Client().post(
        reverse("firms:rate", args=[code_of(visit)]),
        {"pin": pin or printed_pin(visit), "stars": stars, "text": text},
        follow=True,
    )


@pytest.fixture
def checked_visit(joint_visit, inspector_market):
    visit_complete(actor=inspector_market, visit=joint_visit)
    return joint_visit


def test_the_firm_rates_a_finished_visit_once(checked_visit):
    response = rate(checked_visit, stars="5", text="检查规范")
    assert flashed(response) == ["感谢评价，您的评价已提交。"]
    rating = VisitRating.objects.get(visit=checked_visit)
    assert (rating.stars, rating.text) == (5, "检查规范")
    events = AuditEvent.objects.filter(event_type=AuditEventType.VISIT_RATED)
    assert events.count() == 1
    assert "5" not in str(events.get().extra)  # the trail names the visit, not the stars
    # a second rating is refused and changes nothing
    again = rate(checked_visit, stars="1")
    assert flashed(again) == ["本次检查已经评价过，每次检查只能评价一次。"]
    assert VisitRating.objects.get(visit=checked_visit).stars == 5


def test_a_wrong_pin_is_refused_and_locks_after_repeated_tries(checked_visit):
    wrong = "000000" if printed_pin(checked_visit) != "000000" else "111111"
    assert flashed(rate(checked_visit, pin=wrong)) == [
        "PIN码不正确：请填写通知书上查询码旁的6位数字。"
    ]
    for _ in range(PIN_FAILURES_PER_HOUR - 1):
        rate(checked_visit, pin=wrong)
    # even the right PIN waits now
    assert flashed(rate(checked_visit)) == ["PIN码错误次数过多，请一小时后再试。"]
    assert not VisitRating.objects.exists()


def test_a_visit_not_yet_checked_cannot_be_rated(joint_visit):
    assert flashed(rate(joint_visit)) == ["检查完成后才能评价。"]
    assert not VisitRating.objects.exists()


@pytest.mark.parametrize("stars", ["0", "6", "abc"])
def test_stars_outside_one_to_five_are_refused(checked_visit, stars):
    assert flashed(rate(checked_visit, stars=stars)) == ["评分须为1至5分。"]


def test_the_department_sees_an_average_only_from_the_minimum_count(checked_visit):
    department = team_member(checked_visit, "SCJGJ").department
    rate(checked_visit, stars="2")
    summary = department_rating_summary(department)
    assert (summary.count, summary.average) == (1, None)


def test_the_department_page_shows_the_aggregate_and_the_office_every_rating(
    checked_visit, liaison_zhao, office_admin_wang, client_for
):
    rate(checked_visit, stars="2", text="迟到了半小时")
    department_page = client_for(liaison_zhao).get(reverse("firms:ratings")).content.decode()
    assert "迟到了半小时" not in department_page
    assert f"评价少于{MIN_RATINGS_FOR_AVERAGE}条，不显示平均分" in department_page
    office_page = client_for(office_admin_wang).get(reverse("firms:ratings")).content.decode()
    assert "迟到了半小时" in office_page


def test_an_inspector_cannot_open_the_ratings(checked_visit, inspector_market, client_for):
    response = client_for(inspector_market).get(reverse("firms:ratings"))
    assert response.status_code == 403


def ask_recusal(visit, member, reason="该执法人员是我公司股东的亲属"):
    return Client().post(
        reverse("firms:recusal_request", args=[code_of(visit)]),
        {"pin": printed_pin(visit), "member": str(member.pk), "reason": reason},
        follow=True,
    )


def test_a_recusal_request_reaches_the_department_which_grants_it(
    joint_visit, liaison_zhao, client_for
):
    member = team_member(joint_visit, "SCJGJ")
    response = ask_recusal(joint_visit, member)
    assert flashed(response) == ["回避申请已提交，检查部门将作出决定并告知检查组。"]
    request = RecusalRequest.objects.get()
    assert AuditEvent.objects.filter(event_type=AuditEventType.FIRM_RECUSAL_REQUESTED).count() == 1
    # the market department's liaison sees it and grants it with a reason
    client = client_for(liaison_zhao)
    assert "股东的亲属" in client.get(reverse("firms:recusal_requests")).content.decode()
    client.post(
        reverse("firms:recusal_request_decide", args=[request.pk]),
        {"decision": "grant", "reason": "经核实存在亲属关系"},
    )
    request.refresh_from_db()
    member.refresh_from_db()
    assert request.status == RecusalRequestStatus.GRANTED
    assert member.recused_at is not None and member.replaced_by is not None
    assert AuditEvent.objects.filter(event_type=AuditEventType.INSPECTOR_RECUSED).count() == 1
    assert AuditEvent.objects.filter(event_type=AuditEventType.FIRM_RECUSAL_DECIDED).count() == 1


def test_another_department_cannot_decide_the_request(joint_visit, liaison_sun, client_for):
    ask_recusal(joint_visit, team_member(joint_visit, "SCJGJ"))
    request = RecusalRequest.objects.get()
    client = client_for(liaison_sun)
    assert "股东的亲属" not in client.get(reverse("firms:recusal_requests")).content.decode()
    response = client.post(
        reverse("firms:recusal_request_decide", args=[request.pk]),
        {"decision": "grant", "reason": "x"},
    )
    assert response.status_code == 404
    request.refresh_from_db()
    assert request.status == RecusalRequestStatus.PENDING


def test_no_recusal_request_once_the_team_has_arrived(joint_visit, inspector_market):
    visit_arrive(actor=inspector_market, visit=joint_visit)
    response = ask_recusal(joint_visit, team_member(joint_visit, "SCJGJ"))
    assert flashed(response) == ["检查开始后不能再申请回避，请向检查组当场提出。"]
    assert not RecusalRequest.objects.exists()


def test_a_recusal_request_needs_a_reason(joint_visit):
    response = ask_recusal(joint_visit, team_member(joint_visit, "SCJGJ"), reason="  ")
    assert flashed(response) == ["申请回避须说明理由。"]
    assert not RecusalRequest.objects.exists()


def test_the_average_shows_from_the_minimum_count(drawn_batch, market_dept):
    visits = list(drawn_batch.visits.filter(team__department=market_dept).distinct())
    visits = visits[:MIN_RATINGS_FOR_AVERAGE]
    assert len(visits) == MIN_RATINGS_FOR_AVERAGE
    for visit, stars in zip(visits, [5, 4, 4, 3, 5], strict=True):
        VisitRating.objects.create(visit=visit, stars=stars)
    summary = department_rating_summary(market_dept)
    assert (summary.count, summary.average) == (5, 4.2)
