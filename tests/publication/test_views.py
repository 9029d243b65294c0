"""The staff pages: who sees deadlines, who publishes, who keeps the calendar."""

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from spotcheck.publication.models import CalendarYear, DisclosureExemption, PublicRecord
from tests.draw_fixtures import flashed

from .helpers import approve, complete_visit


@pytest.fixture
def market_task(joint_visit, reviewer_li):
    complete_visit(joint_visit, "2026-02-06")
    approve(joint_visit, "SCJGJ", reviewer_li)
    return joint_visit.tasks.get(department__code="SCJGJ")


@time_machine.travel("2026-03-09 10:00 +0800")
def test_the_deadline_page_shows_days_left_then_on_time(client_for, liaison_zhao, market_task):
    client = client_for(liaison_zhao)
    page = client.get(reverse("publication:deadlines")).content.decode()
    assert "即将到期" in page and '<td class="days-left">3</td>' in page
    response = client.post(reverse("publication:task_publish", args=[market_task.pk]), follow=True)
    assert flashed(response) == ["已公开 1 条结果，更正后重新公开 0 条"]
    page = client.get(reverse("publication:deadlines")).content.decode()
    assert "按期公示" in page


def test_another_departments_task_is_not_found_and_inspectors_are_refused(
    client_for, liaison_sun, inspector_zhang, market_task
):
    url = reverse("publication:task_detail", args=[market_task.pk])
    assert client_for(liaison_sun).get(url).status_code == 404
    publish = reverse("publication:task_publish", args=[market_task.pk])
    assert client_for(liaison_sun).post(publish).status_code == 404
    assert client_for(inspector_zhang).get(reverse("publication:deadlines")).status_code == 403
    assert not PublicRecord.objects.exists()


def test_the_office_sees_every_task_but_does_not_publish_for_a_department(
    client_for, office_admin_wang, market_task
):
    client = client_for(office_admin_wang)
    page = client.get(reverse("publication:task_detail", args=[market_task.pk])).content.decode()
    assert "公开本任务全部已审核结果" not in page
    assert (
        client.post(reverse("publication:task_publish", args=[market_task.pk])).status_code == 403
    )


def test_withholding_from_the_task_page_goes_to_the_office(
    client_for, liaison_zhao, office_admin_wang, market_task, joint_visit
):
    url = reverse("publication:exemption_request", args=[market_task.pk])
    response = client_for(liaison_zhao).post(url, {"visit": joint_visit.pk}, follow=True)
    assert flashed(response) == ["不宜公开须写明法律依据"]
    response = client_for(liaison_zhao).post(
        url, {"visit": joint_visit.pk, "legal_ground": "涉及个人隐私"}, follow=True
    )
    assert flashed(response) == ["已提交不宜公开申请，待联席会议办公室审批"]
    exemption = DisclosureExemption.objects.get()
    decide = reverse("publication:exemption_decide", args=[exemption.pk])
    assert client_for(liaison_zhao).post(decide, {"approve": "1"}).status_code == 403
    exemption.refresh_from_db()
    assert exemption.status == "proposed"
    client_for(office_admin_wang).post(decide, {"approve": "1"})
    exemption.refresh_from_db()
    assert exemption.status == "approved"


def test_only_the_office_keeps_the_calendar_and_imports_a_year(
    client_for, office_admin_wang, liaison_zhao
):
    url = reverse("publication:calendar")
    assert client_for(liaison_zhao).get(url).status_code == 403
    upload = SimpleUploadedFile("2027.csv", "日期,类型,说明\n2027-01-01,放假,元旦\n".encode())
    response = client_for(office_admin_wang).post(
        url, {"year": 2027, "notice": "", "file": upload}, follow=True
    )
    assert flashed(response) == ["已导入2027年工作日历"]
    assert CalendarYear.objects.filter(year=2027, source="office").exists()
    bad = SimpleUploadedFile("2028.csv", "日期,类型\n2028-01-01,?\n".encode())
    response = client_for(office_admin_wang).post(url, {"year": 2028, "file": bad}, follow=True)
    assert flashed(response) == ["第2行B列：类型须为“放假”或“上班”"]
    assert not CalendarYear.objects.filter(year=2028).exists()
