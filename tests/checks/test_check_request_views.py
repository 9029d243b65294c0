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
