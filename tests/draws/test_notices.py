"""Notice letters (联合抽查通知书) for drawn joint visits: PDF text, DOCX, and the zip."""

import io
import shutil
import subprocess
import zipfile
from datetime import date

import docx
import pytest

from spotcheck.draws.models import BatchStatus, Visit
from spotcheck.draws.notices import notice_docx, notice_pdf, notices_zip
from spotcheck.draws.notices.context import notice_context
from spotcheck.draws.notices.pdf import render_pdf
from spotcheck.firms.services import visit_pin_issue
from tests.draw_fixtures import commit_joint_check, draw
from tests.firms.printed import sender

ISSUED = date(2026, 11, 30)


@pytest.fixture
def joint_visits(
    approved_joint_check,
    liaison_zhao,
    market_dept,
    health_dept,
    draws_root,
    django_capture_on_commit_callbacks,
):
    """The fixture joint check drawn; departments carry contacts; visits of both departments."""
    market_dept.contact_name, market_dept.contact_phone = "赵联络", "010-64000001"
    market_dept.address = "北京市东城区测试路1号"
    market_dept.save()
    health_dept.contact_name, health_dept.contact_phone = "孙联络", "010-64000002"
    health_dept.save()
    for version in (t.items.get() for t in approved_joint_check.tasks.all()):
        version.legal_basis = f"{version.legal_basis}\n《{version.name}工作规范》"
        version.content = "许可证照、进货查验记录、从业人员健康证明"
        version.save()
    batch = commit_joint_check(approved_joint_check, liaison_zhao)
    batch = draw(batch, liaison_zhao, django_capture_on_commit_callbacks)
    assert batch.status == BatchStatus.DRAWN, batch.failure
    joint = [v for v in Visit.objects.filter(batch=batch) if v.tasks.count() == 2]
    assert len(joint) >= 2
    return joint


def _pdf_text(content: bytes) -> str:
    assert content.startswith(b"%PDF")
    result = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=content, capture_output=True, check=True
    )
    return result.stdout.decode("utf-8")


def test_the_context_lists_each_departments_items_team_and_contacts(joint_visits):
    visit = joint_visits[0]
    context = notice_context(visit, issued_on=ISSUED)
    assert context["title"] == "联合抽查通知书"
    assert context["letter_number"] == f"{visit.batch.number}-{visit.visit_id}"
    assert context["entity_code"] == visit.entity.uscc
    assert context["issuer"] == "东城区市场监督管理局"  # the lead department
    assert context["issue_date"] == "2026年11月30日"
    assert context["planned_date"] == "2026年12月1日"
    assert [g["department"] for g in context["item_groups"]] == [
        "东城区市场监督管理局",
        "东城区卫生健康委员会",
    ]
    assert {i["name"] for i in context["items"]} == {
        "餐饮服务提供者监督检查",
        "住宿场所卫生监督检查",
    }
    assert all("现场检查" in i["methods"] for i in context["items"])
    assert any("食品经营许可证" in line for line in context["prepare"])
    assert any("卫生许可证" in line for line in context["prepare"])
    assert any("《企业信息公示暂行条例》" in line for line in context["refusal"])
    assert any("不配合检查情节严重" in line for line in context["refusal"])
    serving = visit.team.serving()
    assert sum(len(t["inspectors"]) for t in context["team"]) == serving.count() >= 2
    certificates = {p["certificate_number"] for t in context["team"] for p in t["inspectors"]}
    assert certificates == {m.inspector.certificate_number for m in serving}
    assert [(c["name"], c["phone"]) for c in context["contacts"]] == [
        ("赵联络", "010-64000001"),
        ("孙联络", "010-64000002"),
    ]


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")
def test_the_pdf_names_the_entity_and_every_departments_items(joint_visits):
    visit = joint_visits[0]
    text = _pdf_text(notice_pdf(visit, issued_on=ISSUED))
    flat = "".join(text.split())
    assert "联合抽查通知书" in flat
    assert visit.entity.name in flat
    assert visit.entity.uscc in flat
    for name in ("餐饮服务提供者监督检查", "住宿场所卫生监督检查", "东城区卫生健康委员会"):
        assert name in flat
    member = visit.team.serving().first()
    assert member.inspector.certificate_number in flat
    assert "《企业信息公示暂行条例》" in flat and "010-64000002" in flat


def test_the_pdf_fetches_nothing_remote():
    html = (
        '<html lang="zh-CN"><body><img src="http://192.0.2.1/x.png">'
        '<link rel="stylesheet" href="file:///etc/passwd">文字</body></html>'
    )
    assert render_pdf(html).startswith(b"%PDF")  # refused quickly, never fetched


def test_the_docx_opens_with_python_docx_and_names_the_entity(joint_visits):
    visit = joint_visits[0]
    document = docx.Document(io.BytesIO(notice_docx(visit, issued_on=ISSUED)))
    body = "\n".join(p.text for p in document.paragraphs)
    cells = "\n".join(c.text for t in document.tables for r in t.rows for c in r.cells)
    assert "联合抽查通知书" in body and visit.entity.name in body
    assert "{{" not in body + cells and "{%" not in body + cells
    assert "餐饮服务提供者监督检查" in cells and "住宿场所卫生监督检查" in cells
    items_table = document.tables[0]
    assert len(items_table.rows) == 1 + 2  # header, one row per item


def test_an_office_template_replaces_the_default(joint_visits, settings, tmp_path):
    own = docx.Document()
    own.add_paragraph("本局专用：{{ entity_name }}（{{ letter_number }}）")
    path = tmp_path / "own.docx"
    own.save(path)
    settings.SPOTCHECK_NOTICE_DOCX_TEMPLATE = str(path)
    visit = joint_visits[0]
    document = docx.Document(io.BytesIO(notice_docx(visit)))
    assert document.paragraphs[0].text == (
        f"本局专用：{visit.entity.name}（{visit.batch.number}-{visit.visit_id}）"
    )


def test_the_zip_holds_one_notice_per_visit_in_visit_order(joint_visits):
    visits = joint_visits[:2]
    for visit in visits:
        visit_pin_issue(
            actor=sender(visit), visit=visit
        )  # first printed and sent: a rebuilt archive prints no PIN
    content = notices_zip(list(reversed(visits)), "docx")
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        names = archive.namelist()
        assert names == [f"{v.visit_id}-{v.entity.name}.docx" for v in visits]
        for name in names:
            docx.Document(io.BytesIO(archive.read(name)))
    ids = [v.pk for v in visits]
    assert notices_zip(Visit.objects.filter(pk__in=ids), "docx") == content  # deterministic


def test_the_zip_refuses_an_unknown_format(joint_visits):
    with pytest.raises(ValueError, match="unknown notice format"):
        notices_zip(joint_visits[:1], "odt")
