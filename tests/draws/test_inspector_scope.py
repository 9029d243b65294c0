"""Inspectors see their own visits only: a colleague's visit is the same 404 as a missing one,
and neither the batch's notice archive nor directory exports are theirs to download."""

import pytest

from spotcheck.draws.models import Visit
from tests.draw_fixtures import team_member
from tests.factories import UserFactory


def _served_by(user) -> set[Visit]:
    return set(Visit.objects.filter(team__inspector__user=user, team__recused_at__isnull=True))


@pytest.fixture
def zhang_on_joint_visit(joint_visit, inspector_zhang):
    """inspector_zhang is the market bureau's first inspector on the joint visit."""
    member = team_member(joint_visit, "SCJGJ")
    member.inspector.user = inspector_zhang
    member.inspector.save()
    return joint_visit


@pytest.fixture
def colleague_visit(zhang_on_joint_visit, inspector_zhang):
    """A visit of the same batch on whose team inspector_zhang does not serve."""
    return (
        Visit.objects.filter(batch=zhang_on_joint_visit.batch)
        .exclude(team__inspector__user=inspector_zhang)
        .first()
    )


@pytest.fixture
def inspector_wu(colleague_visit, market_dept):
    """A second market inspector, serving on the colleague's visit."""
    member = colleague_visit.team.filter(department=market_dept).first()
    user = UserFactory(username="inspector_wu", role="inspector", department=market_dept)
    member.inspector.user = user
    member.inspector.save()
    return user


def test_an_inspector_opens_his_own_visit_but_not_a_colleagues(
    client_for, inspector_zhang, zhang_on_joint_visit, colleague_visit
):
    client = client_for(inspector_zhang)
    assert client.get(f"/draws/visits/{zhang_on_joint_visit.pk}/").status_code == 200
    # a colleague's visit in the same batch answers exactly like a visit that does not exist
    other = client.get(f"/draws/visits/{colleague_visit.pk}/")
    missing = client.get("/draws/visits/999999/")
    assert other.status_code == missing.status_code == 404
    assert client.get(f"/draws/visits/{colleague_visit.pk}/notice.docx").status_code == 404


def test_the_second_inspector_sees_only_his_visit_too(
    client_for, inspector_wu, zhang_on_joint_visit, colleague_visit
):
    client = client_for(inspector_wu)
    assert client.get(f"/draws/visits/{colleague_visit.pk}/").status_code == 200
    assert client.get(f"/draws/visits/{zhang_on_joint_visit.pk}/").status_code == 404


def test_the_batch_page_lists_only_the_inspectors_visits(
    client_for, inspector_zhang, zhang_on_joint_visit, colleague_visit
):
    page = client_for(inspector_zhang).get(f"/draws/{zhang_on_joint_visit.batch_id}/")
    visits = set(page.context["page"])
    assert visits == _served_by(inspector_zhang)
    assert zhang_on_joint_visit in visits and colleague_visit not in visits
    assert "批量下载通知书" not in page.content.decode()


def test_inspectors_cannot_download_the_batch_notice_archive(
    client_for, inspector_zhang, inspector_wu, liaison_zhao, zhang_on_joint_visit
):
    url = f"/draws/{zhang_on_joint_visit.batch_id}/notices/docx/"
    for inspector in (inspector_zhang, inspector_wu):
        assert client_for(inspector).post(url).status_code == 403
    response = client_for(liaison_zhao).post(url)
    assert response.status_code == 302 and "/draws/notices/" in response["Location"]


def test_the_visits_api_answers_an_inspector_like_the_pages(
    inspector_zhang, zhang_on_joint_visit, colleague_visit
):
    from django.test import Client

    from spotcheck.accounts.tokens import api_token_create

    token = api_token_create(user=inspector_zhang, label="t")
    client = Client(headers={"Authorization": f"Bearer {token}"})
    listed = client.get(f"/api/batches/{zhang_on_joint_visit.batch_id}/visits").json()
    assert {v["visit_id"] for v in listed["items"]} == {
        v.visit_id for v in _served_by(inspector_zhang)
    }
    assert colleague_visit.visit_id not in {v["visit_id"] for v in listed["items"]}


def test_an_inspectors_overdue_list_holds_only_his_visits(
    inspector_zhang, inspector_wu, zhang_on_joint_visit, colleague_visit
):
    from datetime import timedelta

    from django.utils import timezone

    from spotcheck.inspections import services
    from spotcheck.inspections.overdue import overdue_result_list

    # given both visits completed by their market inspectors, results now late
    services.visit_complete(actor=inspector_zhang, visit=zhang_on_joint_visit)
    services.visit_complete(actor=inspector_wu, visit=colleague_visit)
    late = timezone.localdate() + timedelta(days=30)
    # then each inspector is told only about his own visits, and only his department's results
    for inspector, own, other in (
        (inspector_zhang, zhang_on_joint_visit, colleague_visit),
        (inspector_wu, colleague_visit, zhang_on_joint_visit),
    ):
        results = overdue_result_list(user=inspector, today=late)
        visits = {r.visit for r in results}
        assert own in visits and other not in visits
        assert {r.department.code for r in results} == {"SCJGJ"}


def test_an_inspectors_entity_file_lists_only_his_visits(
    client_for, inspector_zhang, zhang_on_joint_visit, colleague_visit
):
    url = f"/inspections/entities/{colleague_visit.entity.key}/file/"
    page = client_for(inspector_zhang).get(url)
    assert page.status_code == 200  # his department supervises the firm
    assert colleague_visit not in page.context["file"].visits
