"""Hostile input gets a 4xx with a clear message, never a 500: ids beyond a bigint, NaN decimals,
a number where a list belongs, names longer than their column, NUL bytes anywhere. Run on SQLite
and on PostgreSQL (SPOTCHECK_DATABASE_URL): the NUL byte and the long name only broke there."""

import pytest
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st
from pydantic import TypeAdapter, ValidationError

from spotcheck.accounts.tokens import api_token_create
from spotcheck.api.types import INT64_MAX, DecimalText, Text
from spotcheck.plans.validation import design_errors

TOO_BIG = INT64_MAX + 1


def _client(user) -> Client:
    token = api_token_create(user=user, label="test")
    return Client(headers={"Authorization": f"Bearer {token}"})


@pytest.fixture
def liaison(liaison_zhao):
    return _client(liaison_zhao)


def _assert_error_shape(response, status):
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"code", "messages"}
    assert all(isinstance(m, str) and m for m in body["messages"])
    return body


def _task(**changes):
    task = {
        "name": "食品经营抽查",
        "item_version_ids": [1],
        "design_mode": "ratio",
        "design_values": {"A": "0.05"},
        "planned_start": "2026-03-01",
        "planned_end": "2026-06-30",
    }
    return {**task, **changes}


@pytest.mark.parametrize(
    "url",
    [
        f"/api/batches/{TOO_BIG}",
        f"/api/joint-checks/{TOO_BIG}",
        f"/api/inspections/visits/{TOO_BIG}",
        f"/api/inspections/follow-ups/{TOO_BIG}",
        f"/api/inspections/follow-ups?cursor={TOO_BIG}",
        f"/api/entities?cursor={TOO_BIG}",
        "/api/entities?limit=100000",
    ],
)
def test_an_id_beyond_a_bigint_is_a_422_naming_the_field(liaison, url):
    body = _assert_error_shape(liaison.get(url), 422)
    assert body["code"] == "invalid_input"


def test_an_id_of_zero_or_below_is_refused(liaison):
    _assert_error_shape(liaison.get("/api/batches/0"), 422)


@pytest.mark.parametrize(
    "url",
    [
        f"/draws/{TOO_BIG}/",
        f"/plans/tasks/{TOO_BIG}/",
        f"/inspections/visits/{TOO_BIG}/",
        f"/directory/inspectors/{TOO_BIG}/",
    ],
)
def test_a_page_with_an_id_beyond_a_bigint_is_not_found(client_for, liaison_zhao, url):
    assert client_for(liaison_zhao).get(url).status_code == 404


@pytest.mark.parametrize(
    "changes",
    [
        {"design_values": {"A": "NaN"}},
        {"design_values": {"A": "Infinity"}},
        {"design_values": {"A": "-sNaN"}},
        {"item_version_ids": 5},
        {"item_version_ids": [TOO_BIG]},
        {"population_filter": {"tags": 5}},
        {"population_filter": {"region_codes": "110101"}},
        {"name": "名" * 5000},
        {"name": "食品\x00抽查"},
        {"joint_check_id": TOO_BIG},
    ],
)
def test_a_task_outside_the_bounds_is_a_422(liaison, changes):
    response = liaison.post("/api/tasks", _task(**changes), content_type="application/json")
    body = _assert_error_shape(response, 422)
    field = next(iter(changes))
    assert any(m.startswith(field) for m in body["messages"]), body


def test_a_batch_with_a_nul_byte_or_a_long_name_is_a_422(liaison):
    for name in ("批次\x00", "批" * 5000):
        response = liaison.post(
            "/api/batches",
            {
                "name": name,
                "task_ids": [1],
                "randomness_source": "上证指数",
                "randomness_due": "2026-11-30T15:00:00+08:00",
            },
            content_type="application/json",
        )
        _assert_error_shape(response, 422)


def test_a_long_search_is_a_422_not_a_database_error(liaison):
    _assert_error_shape(liaison.get("/api/entities", {"q": "名" * 5000}), 422)


@pytest.mark.parametrize(
    "url",
    [
        "/public/draws/%00/",
        "/public/items/%00/",
        "/public/draws/?q=%00",
        "/directory/entities/%00/",
    ],
)
def test_a_nul_byte_on_a_page_is_a_400_in_chinese(client, liaison_zhao, url):
    # given an anonymous visitor (public pages) and a signed-in liaison (internal ones)
    for visitor in (client, Client()):
        if url.startswith("/directory/"):
            visitor.force_login(liaison_zhao)
        response = visitor.get(url)
        assert response.status_code == 400
        assert "空字符" in response.content.decode()


def test_a_nul_byte_in_a_form_field_is_a_400(client_for, liaison_zhao):
    response = client_for(liaison_zhao).post("/directory/entities/new/", {"name": "商店\x00"})
    assert response.status_code == 400
    assert "空字符" in response.content.decode()


def test_a_nul_byte_in_an_api_query_or_path_is_a_json_400(liaison):
    for url in ("/api/entities?q=%00", "/api/entities/%00"):
        body = _assert_error_shape(liaison.get(url), 400)
        assert body["code"] == "nul_byte"


def test_a_nan_ratio_from_the_task_form_is_an_error_not_a_crash():
    (error,) = design_errors("ratio", {"A": "NaN"}, None)
    assert "0 到 1" in error.message


def test_errors_are_declared_on_every_operation(liaison):
    paths = liaison.get("/api/openapi.json").json()["paths"]
    for path, operations in paths.items():
        for method, operation in operations.items():
            for status in ("400", "401", "403", "404", "422"):
                schema = operation["responses"][status]["content"]["application/json"]["schema"]
                assert schema["$ref"].endswith("/ErrorOut"), (method, path, status)


def test_an_unknown_token_gets_a_401_in_the_error_shape(db):
    response = Client(headers={"Authorization": "Bearer nope"}).get("/api/entities")
    _assert_error_shape(response, 401)


def test_another_departments_object_is_a_404_in_the_error_shape(liaison, approved_joint_check):
    response = _client_of_a_third_department().get(f"/api/joint-checks/{approved_joint_check.pk}")
    assert _assert_error_shape(response, 404)["code"] == "not_found"


def _client_of_a_third_department():
    from spotcheck.accounts.models import Role
    from tests.factories import DepartmentFactory, UserFactory

    outsider = UserFactory(role=Role.DEPARTMENT_ADMIN, department=DepartmentFactory(code="JYJ"))
    return _client(outsider)


@given(st.text(max_size=60))
def test_text_accepts_exactly_the_strings_without_nul_that_fit(value):
    adapter = TypeAdapter(Text(40))
    fits = len(value) <= 40 and "\x00" not in value
    try:
        assert adapter.validate_python(value) == value
        assert fits
    except ValidationError:
        assert not fits


@given(st.one_of(st.decimals(), st.floats(), st.text(max_size=12)))
def test_decimal_text_is_always_finite_or_refused(value):
    from decimal import Decimal

    try:
        text = TypeAdapter(DecimalText).validate_python(
            value if not hasattr(value, "as_tuple") else str(value)
        )
    except ValidationError:
        return
    assert Decimal(text).is_finite()


@pytest.mark.parametrize("joint", ["abc", str(TOO_BIG), "０１", "-1"])
def test_a_task_form_for_a_joint_check_that_cannot_exist_is_not_found(
    client_for, liaison_zhao, joint
):
    response = client_for(liaison_zhao).get("/plans/tasks/new/", {"joint": joint})
    assert response.status_code == 404


@given(st.text(max_size=25))
def test_id_or_404_gives_an_id_in_range_or_not_found(text):
    from django.http import Http404

    from spotcheck.common.params import id_or_404

    try:
        value = id_or_404(text)
    except Http404:
        return
    assert 0 < value <= INT64_MAX and str(value) == text.lstrip("0")


def test_a_reviewer_cannot_create_a_task_through_the_api(reviewer_li, inspector_zhang):
    # given the roles the task form refuses; when they post a task; then 403 as on the page
    for user in (reviewer_li, inspector_zhang):
        response = _client(user).post("/api/tasks", _task(), content_type="application/json")
        assert _assert_error_shape(response, 403)["code"] == "forbidden"


def test_a_body_that_is_not_json_is_a_400_in_the_error_shape(liaison):
    response = liaison.post("/api/tasks", b"\xff{", content_type="application/json")
    assert _assert_error_shape(response, 400)["code"] == "bad_request"


def test_schema_errors_name_the_field_in_chinese(liaison):
    response = liaison.post(
        "/api/tasks",
        _task(name="名" * 201, item_version_ids=[TOO_BIG], planned_start="明天"),
        content_type="application/json",
    )
    messages = _assert_error_shape(response, 422)["messages"]
    assert "name: 最多 200 个字符" in messages
    assert f"item_version_ids.0: 不得大于 {INT64_MAX}" in messages
    assert "planned_start: 应为日期（YYYY-MM-DD）" in messages
