"""A user of one department cannot list, open, export or change another department's records;
the answer for "another department's" is the same 404 as for "missing"."""

import csv
import io

import pytest

from tests.factories import EntityFactory, InspectorFactory, make_item


@pytest.fixture
def market_records(market_dept):
    return {
        "entity": EntityFactory(name="北京市场监管专属有限公司", departments=[market_dept]),
        "inspector": InspectorFactory(department=market_dept, name="市场检查员甲"),
        "item": make_item(market_dept, code="SC-001", name="特种设备使用单位检查"),
    }


def _csv_rows(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(body)))


def test_health_liaison_cannot_open_market_records(client_for, liaison_sun, market_records):
    client = client_for(liaison_sun)
    urls = [
        f"/directory/entities/{market_records['entity'].key}/",
        f"/directory/entities/{market_records['entity'].key}/edit/",
        f"/directory/inspectors/{market_records['inspector'].pk}/",
        f"/directory/inspectors/{market_records['inspector'].pk}/edit/",
        f"/items/{market_records['item'].pk}/",
        f"/items/{market_records['item'].pk}/edit/",
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url
    # and the same 404 as for a record that does not exist
    assert client.get("/directory/inspectors/999999/").status_code == 404


def test_health_liaison_cannot_change_market_records(client_for, liaison_sun, market_records):
    client = client_for(liaison_sun)
    inspector = market_records["inspector"]
    response = client.post(
        f"/directory/inspectors/{inspector.pk}/edit/",
        {
            "name": "改名",
            "certificate_number": "X1",
            "certificate_expiry": "2030-01-01",
            "status": "left",
            "capacity_per_batch": 1,
        },
    )
    assert response.status_code == 404
    inspector.refresh_from_db()
    assert inspector.name == "市场检查员甲"
    response = client.post(
        f"/directory/inspectors/{inspector.pk}/",
        {"entity_key": market_records["entity"].key, "reason": "近亲属"},
    )
    assert response.status_code == 404
    assert not inspector.conflicts.exists()


def test_lists_and_exports_hold_only_own_department(client_for, liaison_sun, market_records):
    client = client_for(liaison_sun)
    for url, text in [
        ("/directory/entities/", "北京市场监管专属有限公司"),
        ("/directory/inspectors/", "市场检查员甲"),
        ("/items/", "特种设备使用单位检查"),
    ]:
        page = client.get(url)
        assert page.status_code == 200
        assert text not in page.content.decode(), url
        export = client.get(url, {"export": "csv"})
        assert export.status_code == 200
        rows = _csv_rows(export)
        assert len(rows) == 1, f"{url} export holds only the header row"
        # filtering by the other department's code does not widen the scope
        assert text not in client.get(url, {"department": "SCJGJ"}).content.decode()


def test_market_liaison_sees_own_records(client_for, liaison_zhao, market_records):
    client = client_for(liaison_zhao)
    assert "市场检查员甲" in client.get("/directory/inspectors/").content.decode()
    rows = _csv_rows(client.get("/directory/entities/", {"export": "csv"}))
    assert rows[1][2] == "北京市场监管专属有限公司"
    assert client.get(f"/items/{market_records['item'].pk}/").status_code == 200


def test_office_sees_every_department(client_for, office_admin_wang, market_records, health_dept):
    health_inspector = InspectorFactory(department=health_dept, name="卫健检查员乙")
    client = client_for(office_admin_wang)
    page = client.get("/directory/inspectors/").content.decode()
    assert "市场检查员甲" in page and health_inspector.name in page
    assert client.get(f"/directory/inspectors/{health_inspector.pk}/").status_code == 200


def test_inspector_cannot_edit_directories(client_for, inspector_zhang, market_records):
    client = client_for(inspector_zhang)
    assert client.get("/directory/inspectors/new/").status_code == 403
    assert client.get("/items/new/").status_code == 403
    assert client.get("/imports/").status_code == 403


def test_anonymous_is_sent_to_login(client, market_records):
    response = client.get("/directory/entities/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_published_item_list_is_public(client, market_dept, market_records):
    page = client.get(f"/public/items/{market_dept.code}/")
    assert page.status_code == 200
    assert "特种设备使用单位检查" in page.content.decode()
