"""The request and approval pages: a department asks, its reviewer decides, another department
never sees the request."""

from datetime import timedelta

from django.utils import timezone

from spotcheck.checks.models import CheckRequest
from tests.factories import EntityFactory


def test_request_then_approve_through_the_pages(
    market_dept, client_for, inspector_zhang, reviewer_li, liaison_sun
):
    firm = EntityFactory(departments=[market_dept])
    planned = timezone.localdate() + timedelta(days=3)
    form = {
        "kind": "case",
        "ground": "firm_request",
        "entity_key": firm.key,
        "planned_date": planned.isoformat(),
        "description": "企业申请许可变更前现场核查",
    }
    refused = client_for(inspector_zhang).post("/checks/new/", {**form, "ground": ""})
    assert refused.status_code == 400
    assert "须选择所列检查事由之一" in refused.content.decode()
    response = client_for(inspector_zhang).post("/checks/new/", form, follow=True)
    assert "检查申请已提交" in response.content.decode()
    request = CheckRequest.objects.get()
    # another department neither sees nor decides it
    assert firm.name not in client_for(liaison_sun).get("/checks/").content.decode()
    assert (
        client_for(liaison_sun).post(f"/checks/{request.pk}/decide/", {"approve": "1"}).status_code
        == 404
    )
    client_for(reviewer_li).post(f"/checks/{request.pk}/decide/", {"approve": "1"})
    request.refresh_from_db()
    assert request.status == "approved"


def test_unknown_firm_gets_a_clear_error(market_dept, client_for, inspector_zhang):
    planned = timezone.localdate() + timedelta(days=3)
    response = client_for(inspector_zhang).post(
        "/checks/new/",
        {
            "kind": "case",
            "ground": "complaint",
            "entity_key": "91110101MA00000000",
            "planned_date": planned.isoformat(),
            "description": "投诉",
        },
    )
    assert response.status_code == 400
    assert "本部门监管的检查对象中没有该统一社会信用代码" in response.content.decode()


def test_who_may_never_decide_is_refused_before_the_form(
    market_dept, client_for, liaison_zhao, office_admin_wang, inspector_zhang, reviewer_li
):
    """An inspector or the office posting to the decision got the form's error and a redirect,
    as if they might decide once they ticked a box; they may not: 403."""
    request = CheckRequest.objects.create(
        kind="case",
        ground="complaint",
        entity=EntityFactory(departments=[market_dept]),
        department=market_dept,
        planned_date=timezone.localdate() + timedelta(days=3),
        description="投诉",
        requested_by=liaison_zhao,
    )
    assert (
        client_for(office_admin_wang).post(f"/checks/{request.pk}/decide/", {}).status_code == 403
    )
    # an inspector does not even see a colleague's request
    assert client_for(inspector_zhang).post(f"/checks/{request.pk}/decide/", {}).status_code == 404
    # the department's reviewer still gets the form's message
    assert client_for(reviewer_li).post(f"/checks/{request.pk}/decide/", {}).status_code == 302
    request.refresh_from_db()
    assert request.status == "requested"


def test_an_inspector_sees_only_their_own_requests_the_department_sees_all(
    market_dept, client_for, inspector_zhang, liaison_zhao, reviewer_li, office_admin_wang
):
    """Check requests name firms and grounds (complaints, leads): an inspector sees the ones
    they made, not a colleague's; the liaison and reviewer see the department's, the office all."""
    from tests.factories import UserFactory

    colleague = UserFactory(username="inspector_wu", role="inspector", department=market_dept)

    def request_by(user, name):
        return CheckRequest.objects.create(
            kind="case",
            ground="complaint",
            entity=EntityFactory(departments=[market_dept], name=name),
            department=market_dept,
            planned_date=timezone.localdate() + timedelta(days=3),
            description="投诉",
            requested_by=user,
        )

    own = request_by(inspector_zhang, "张的申请商店")
    other = request_by(colleague, "吴的申请商店")
    page = client_for(inspector_zhang).get("/checks/").content.decode()
    assert own.entity.name in page
    assert other.entity.name not in page
    assert client_for(inspector_zhang).post(f"/checks/{other.pk}/decide/", {}).status_code == 404
    for department_wide in (liaison_zhao, reviewer_li, office_admin_wang):
        page = client_for(department_wide).get("/checks/").content.decode()
        assert own.entity.name in page and other.entity.name in page
