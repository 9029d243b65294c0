"""Directory exports are not an inspector's work; conflict declarations find the entity only in
the declaring department's scope, with one answer for missing and not visible."""

import pytest

from spotcheck.directory.models import InspectorConflict
from tests.factories import EntityFactory, InspectorFactory, UserFactory

NOT_FOUND = "本部门监管的检查对象中没有该代码"


@pytest.fixture
def inspector_chen(health_dept):
    return UserFactory(username="inspector_chen", role="inspector", department=health_dept)


@pytest.mark.parametrize("url", ["/directory/entities/", "/directory/inspectors/"])
@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_inspectors_cannot_export_the_directories(
    client_for, inspector_zhang, inspector_chen, liaison_zhao, market_dept, url, fmt
):
    EntityFactory(departments=[market_dept])
    for inspector in (inspector_zhang, inspector_chen):
        client = client_for(inspector)
        page = client.get(url)
        assert page.status_code == 200  # looking an entity up stays possible
        assert "export=xlsx" not in page.content.decode()
        assert client.get(url, {"export": fmt}).status_code == 403
    assert client_for(liaison_zhao).get(url, {"export": fmt}).status_code == 200


def test_conflict_form_gives_one_answer_for_missing_and_anothers_entity(
    client_for, liaison_sun, market_dept, health_dept
):
    # given a health inspector and a firm only the market bureau supervises
    inspector = InspectorFactory(department=health_dept)
    market_only = EntityFactory(departments=[market_dept])
    client = client_for(liaison_sun)
    url = f"/directory/inspectors/{inspector.pk}/"
    # when liaison_sun declares a conflict with that firm and with a code nobody has
    hidden = client.post(url, {"entity_key": market_only.key, "reason": "亲属"})
    missing = client.post(url, {"entity_key": "91110000000000000X", "reason": "亲属"})
    # then both get the same answer, and nothing is recorded
    assert hidden.status_code == missing.status_code == 200
    assert NOT_FOUND in hidden.content.decode() and NOT_FOUND in missing.content.decode()
    assert hidden.context["form"].errors == missing.context["form"].errors
    assert not InspectorConflict.objects.exists()


def test_conflict_with_a_supervised_entity_is_declared(
    client_for, liaison_sun, market_dept, health_dept
):
    inspector = InspectorFactory(department=health_dept)
    shared = EntityFactory(departments=[market_dept, health_dept])
    response = client_for(liaison_sun).post(
        f"/directory/inspectors/{inspector.pk}/", {"entity_key": shared.key, "reason": "曾任职"}
    )
    assert response.status_code == 302
    assert InspectorConflict.objects.get().entity == shared


def test_conflict_service_refuses_an_entity_outside_the_declarers_scope(
    liaison_sun, market_dept, health_dept
):
    from django.core.exceptions import PermissionDenied

    from spotcheck.directory.services import conflict_declare

    inspector = InspectorFactory(department=health_dept)
    market_only = EntityFactory(departments=[market_dept])
    with pytest.raises(PermissionDenied):
        conflict_declare(actor=liaison_sun, inspector=inspector, entity=market_only, reason="亲属")
    assert not InspectorConflict.objects.exists()
