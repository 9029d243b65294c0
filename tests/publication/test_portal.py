"""Citizens find published results without logging in: by name, USCC, department, dates and
result; an entity's page lists its results over the years; nothing internal is shown."""

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from spotcheck.publication.services.publishing import task_publish

from .helpers import approve, complete_visit, record_for


@pytest.fixture
def published(joint_visit, reviewer_li, liaison_zhao):
    """The joint visit published through the real path, plus records of four other visits."""
    complete_visit(joint_visit, "2026-02-06")
    approve(joint_visit, "SCJGJ", reviewer_li)
    task = joint_visit.tasks.get(department__code="SCJGJ")
    with time_machine.travel("2026-03-02 10:00 +0800"):
        task_publish(actor=liaison_zhao, task=task)
    others = list(task.visits.exclude(pk=joint_visit.pk).order_by("visit_id")[:4])
    for visit, (day, codes) in zip(
        others,
        [
            ("2025-05-06", ("no_problem",)),
            ("2025-11-20", ("corrected",)),
            ("2026-01-15", ("unreachable",)),
            ("2026-04-01", ("no_problem",)),
        ],
        strict=True,
    ):
        record_for(visit, task, liaison_zhao, published_on=day, codes=codes)
    joint_visit.entity_record_id = (
        f"{task.number}-{joint_visit.batch.number}-{joint_visit.visit_id}"
    )
    return joint_visit


def _page(url, **params) -> str:
    response = Client().get(url, params)
    assert response.status_code == 200
    return response.content.decode()


def test_a_citizen_finds_a_result_by_uscc_typed_in_lower_case(published):
    entity = published.entity
    page = _page(reverse("public:results"), q=entity.uscc.lower())
    assert entity.name in page
    assert "共 1 条" in page
    assert reverse("public:entity", args=[entity.uscc]) in _page(
        reverse("public:result_detail", args=[published.entity_record_id])
    )


def test_search_by_name_fragment_department_dates_and_category(published):
    url = reverse("public:results")
    everything = _page(url)
    assert "共 5 条" in everything
    assert "共 1 条" in _page(url, category="unreachable")
    assert "共 2 条" in _page(url, date_from="2025-01-01", date_to="2025-12-31")
    assert "共 5 条" in _page(url, department="SCJGJ")
    assert "共 0 条" in _page(url, department="WJW")
    fragment = published.entity.name[2:5]
    assert published.entity.name in _page(url, q=fragment)


def test_the_record_page_shows_the_published_fields_only(published):
    from spotcheck.publication.models import PublicRecord

    record = PublicRecord.objects.get(visit=published)
    page = _page(reverse("public:result_detail", args=[record.record_id]))
    for text in (
        record.task_number,
        record.task_name,
        "不定向抽查",
        "东城区市场监督管理局",
        "2026-02-06",
        "餐饮服务提供者监督检查",
        "未发现问题",
        "按期公示",
    ):
        assert text in page, text
    assert "内部记录" not in page  # the inspector's finding
    for member in published.team.select_related("inspector"):
        assert member.inspector.name not in page
    assert "信用风险" not in page and "credit" not in page.lower()


def test_an_entity_page_lists_its_results_over_the_years_and_links(published, liaison_zhao):
    from spotcheck.publication.models import PublicRecord

    entity = published.entity
    task = published.tasks.get(department__code="WJW")
    record_for(published, task, liaison_zhao, published_on="2025-03-03")
    page = _page(reverse("public:entity", args=[entity.uscc]))
    assert page.index("2026-0") < page.index("2025-03-03")  # newest first
    assert "共 2 条" in page
    assert Client().get(reverse("public:entity", args=["91110000000000000X"])).status_code == 404
    assert PublicRecord.objects.filter(uscc=entity.uscc).count() == 2


def test_the_portal_navigation_links_the_results(db):
    assert reverse("public:results") in _page(reverse("public:department_index"))


def test_counting_stops_at_the_cap_and_asks_to_narrow_the_search(published, monkeypatch):
    from spotcheck.portal import results

    monkeypatch.setattr(results, "COUNT_CAP", 3)
    page = _page(reverse("public:results"))
    assert "第 1 页，超过 3 条，请缩小查询范围" in page
    assert "共 5 条" not in page


def test_the_results_page_runs_a_fixed_number_of_queries(published, django_assert_max_num_queries):
    # Five records or fifty, the page reads the choices, counts and fetches one page.
    with django_assert_max_num_queries(6):
        _page(reverse("public:results"), q="北京")
