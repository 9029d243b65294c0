"""The provincial joint-item list (部门联合抽查事项清单, .xls with merged cells) loads as fields
with their items, leads and partners; it is public, and a joint check starts from a field."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from spotcheck.audit.models import AuditEvent
from spotcheck.imports.models import ImportJob
from spotcheck.imports.services import import_file
from spotcheck.items.models import JointField, JointItem
from tests.factories import DepartmentFactory
from tests.queue import run_queued_tasks

from .helpers import write_sheet

HEADER = ["序号", "抽查领域", "抽查事项", "检查对象", "发起部门", "配合部门"]
ROWS = [
    [1, "学校办学情况抽查", "学校食堂食品安全检查", "学校食堂", "市场监管部门", "教育部门、卫生健康部门"],
    ["", "", "学校传染病防控检查", "学校", "卫生健康部门", ""],
    ["", "", "学校消防安全检查", "学校", "消防救援机构", ""],
    [2, "工业企业环保与质量抽查", "排污许可执行情况检查", "排污单位", "生态环境部门、市场监管部门",
     "市场监管领域相关部门"],
    ["", "", "工业产品生产许可检查", "生产企业", "市场监管部门", ""],
    [3, "林木种苗抽查", "种苗质量检查", "种苗生产者", "林业部门", "市场监管部门"],
    [4, "医疗机构抽查", "医疗广告检查", "医疗机构", "卫生健康部门", "市场监管部门、宣传部门"],
]  # fmt: skip
# 0-based (first_row, first_col, last_row, last_col): fields and their partners span their items
MERGES = [(1, 0, 3, 0), (1, 1, 3, 1), (1, 5, 3, 5), (4, 0, 5, 0), (4, 1, 5, 1), (4, 5, 5, 5)]


@pytest.fixture
def district(market_dept, health_dept):
    return {
        "SCJGJ": market_dept,
        "WJW": health_dept,
        "JYJ": DepartmentFactory(code="JYJ", name="东城区教育局"),
        "XFJY": DepartmentFactory(code="XFJY", name="东城区消防救援大队"),
        "STHJJ": DepartmentFactory(code="STHJJ", name="东城区生态环境局"),
    }


def _list(path):
    table = [["海南省部门联合抽查事项清单"], HEADER, *ROWS]
    merges = [(0, 0, 0, 5)] + [(r0 + 1, c0, r1 + 1, c1) for r0, c0, r1, c1 in MERGES]
    return write_sheet(path, table, merges)


def _codes(departments):
    return sorted(d.code for d in departments)


@pytest.mark.parametrize("suffix", [".xls", ".xlsx"])
def test_a_joint_list_loads_fields_items_and_departments(db, tmp_path, district, suffix):
    outcome = import_file(kind="joint_items", path=_list(tmp_path / f"joint{suffix}"))
    # six items in four fields; the item led by a department the district lacks is rejected
    assert outcome.summary_line() == "imported 6, updated 0, rejected 1"
    [rejection] = outcome.rejections
    assert (rejection.row, rejection.column) == (8, "E")
    assert rejection.reason.startswith("发起部门“林业部门”在本地没有对应的部门")
    assert [(w.row, w.column, w.reason) for w in outcome.warnings] == [
        (9, "F", "配合部门“宣传部门”在本地没有对应的部门，未列为配合部门")
    ]
    school = JointField.objects.get(name="学校办学情况抽查")
    assert _codes(school.partners.all()) == ["JYJ", "WJW"]
    leads = {i.name: _codes(i.lead_departments.all()) for i in school.joint_items.all()}
    # merged cells: the field and its partners apply to all three items
    assert leads == {
        "学校食堂食品安全检查": ["SCJGJ"],
        "学校传染病防控检查": ["WJW"],
        "学校消防安全检查": ["XFJY"],
    }
    industry = JointField.objects.get(name="工业企业环保与质量抽查")
    assert industry.any_member_partners and industry.partners_text == "市场监管领域相关部门"
    permit = JointItem.objects.get(name="排污许可执行情况检查")
    assert permit.lead_department.code == "STHJJ"  # the first of two leads
    assert _codes(permit.lead_departments.all()) == ["SCJGJ", "STHJJ"]
    assert AuditEvent.objects.filter(event_type=311).count() == 6
    # the same list again changes nothing
    again = import_file(kind="joint_items", path=_list(tmp_path / f"again{suffix}"))
    assert (again.imported, again.updated, again.unchanged) == (0, 0, 6)


def test_the_command_takes_joint_items_with_a_dash(db, tmp_path, district, capsys):
    call_command("import", "joint-items", str(_list(tmp_path / "joint.xls")))
    assert capsys.readouterr().out.splitlines()[-1] == "imported 6, updated 0, rejected 1"


def test_the_joint_list_is_public(db, client, tmp_path, district):
    import_file(kind="joint_items", path=_list(tmp_path / "joint.xls"))
    page = client.get(reverse("public:joint_items")).content.decode()
    assert "学校办学情况抽查" in page and "学校消防安全检查" in page
    assert "东城区消防救援大队" in page
    assert "市场监管领域相关部门" in page


def test_a_joint_check_starts_from_a_field_with_its_departments_proposed(
    db, client, tmp_path, district, liaison_zhao
):
    import_file(kind="joint_items", path=_list(tmp_path / "joint.xls"))
    school = JointField.objects.get(name="学校办学情况抽查")
    client.force_login(liaison_zhao)
    page = client.get(reverse("plans:joint_check_list"), {"field": school.pk})
    form = page.context["form"]
    assert form.initial["name"] == "学校办学情况抽查"
    # the field's other leads and partners are proposed; zhao's own bureau leads
    assert _codes(form.initial["partners"]) == ["JYJ", "WJW", "XFJY"]


def test_only_the_office_uploads_a_joint_list(db, client, liaison_zhao, tmp_path, district):
    client.force_login(liaison_zhao)
    with open(_list(tmp_path / "joint.xls"), "rb") as upload:
        page = client.post(reverse("imports:job_list"), {"kind": "joint_items", "file": upload})
    assert "联合抽查事项清单由联席会议办公室导入" in page.content.decode()
    assert not JointField.objects.exists()


def test_the_office_uploads_a_joint_list_previews_it_and_applies_it(
    db, client, office_admin_wang, tmp_path, district, django_capture_on_commit_callbacks
):
    client.force_login(office_admin_wang)
    with (
        django_capture_on_commit_callbacks(execute=True),
        open(_list(tmp_path / "joint.xls"), "rb") as upload,
    ):
        client.post(reverse("imports:job_list"), {"kind": "joint_items", "file": upload})
    job = ImportJob.objects.get()
    run_queued_tasks()
    job.refresh_from_db()
    assert (job.status, job.imported, job.rejected, job.warned) == ("previewed", 6, 1, 1)
    assert not JointField.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("imports:job_confirm", args=[job.pk]))
    run_queued_tasks()
    job.refresh_from_db()
    assert job.status == "done"
    assert JointField.objects.count() == 3
