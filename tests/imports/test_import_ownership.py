"""A department's entity import creates entities and links them to itself only: links to other
departments and changes to stored entities are refused row by row, counted as not applied, and
never open another department's entity to the importer."""

import pytest
from django.test import Client

from spotcheck.audit.event_types import AuditEventType
from spotcheck.audit.models import AuditEvent
from spotcheck.directory.models import MarketEntity
from spotcheck.imports.models import ImportJob
from spotcheck.imports.services import import_file
from tests.factories import EntityFactory
from tests.queue import run_queued_tasks

from .helpers import ENTITY_HEADER, entity_rows, valid_usccs, write_csv

NOT_OURS = "该检查对象已在名录库中，不在本部门监管范围：部门导入不能关联或修改，本行未导入"
SHARED = "检查对象的登记信息、信用风险分类和经营异常标记由东城区市场监督管理局和联席会议办公室维护"
FOREIGN_LINK = "监管部门只能是本部门（东城区卫生健康委员会）：部门导入不能为其他部门建立监管关系"


def _codes(entity) -> set[str]:
    return set(entity.departments.values_list("code", flat=True))


@pytest.fixture
def market_entity(market_dept):
    """A class D firm only the market bureau supervises."""
    return EntityFactory(departments=[market_dept], credit_class="D", name="市场局名下有限公司")


def _row(entity, name=None, credit_class=None) -> list[str]:
    return [
        name or entity.name,
        entity.uscc,
        "企业",
        entity.industry_code,
        entity.region_code,
        entity.address,
        "存续",
        credit_class or entity.credit_class,
    ]


def test_health_import_naming_a_market_entity_neither_links_nor_opens_it(
    tmp_path, client_for, liaison_sun, health_dept, market_entity
):
    # given a health import file that names the market bureau's firm, with another class
    path = write_csv(tmp_path / "h.csv", [_row(market_entity, credit_class="A")])
    # when liaison_sun imports it for the health department
    outcome = import_file(kind="entities", path=path, department=health_dept, actor=liaison_sun)
    # then the row is refused with a reason, counted as not applied and not as unchanged
    assert (outcome.imported, outcome.updated, outcome.unchanged) == (0, 0, 0)
    assert outcome.not_applied == 1 and outcome.rejected == 0
    refusal = outcome.refusals[0]
    assert (refusal.row, refusal.column, refusal.header) == (2, "B", "统一社会信用代码")
    assert NOT_OURS in refusal.reason
    # and the entity is neither linked, changed, nor visible to the health department
    market_entity.refresh_from_db()
    assert _codes(market_entity) == {"SCJGJ"} and market_entity.credit_class == "D"
    response = client_for(liaison_sun).get(f"/directory/entities/{market_entity.key}/")
    assert response.status_code == 404
    event = AuditEvent.objects.get(event_type=AuditEventType.IMPORT_COMPLETED)
    assert event.extra["not_applied"] == 1


def test_identical_row_for_anothers_entity_is_still_refused(
    tmp_path, liaison_sun, health_dept, market_entity
):
    path = write_csv(tmp_path / "h.csv", [_row(market_entity)])
    outcome = import_file(kind="entities", path=path, department=health_dept, actor=liaison_sun)
    assert outcome.not_applied == 1 and outcome.unchanged == 0
    assert _codes(MarketEntity.objects.get()) == {"SCJGJ"}


def test_a_supervising_department_cannot_change_the_shared_record_by_import(
    tmp_path, liaison_sun, market_dept, health_dept
):
    # given a firm both departments supervise, class B
    entity = EntityFactory(departments=[market_dept, health_dept], credit_class="B")
    rows = [_row(entity, name="卫健委改名有限公司", credit_class="A")]
    outcome = import_file(
        kind="entities",
        path=write_csv(tmp_path / "h.csv", rows),
        department=health_dept,
        actor=liaison_sun,
    )
    assert outcome.not_applied == 1 and outcome.updated == 0
    assert SHARED in outcome.refusals[0].reason
    entity.refresh_from_db()
    assert entity.credit_class == "B" and entity.name != "卫健委改名有限公司"


def test_a_supervising_department_reimporting_its_firm_unchanged_is_unchanged(
    tmp_path, liaison_sun, health_dept
):
    entity = EntityFactory(departments=[health_dept])
    outcome = import_file(
        kind="entities",
        path=write_csv(tmp_path / "h.csv", [_row(entity)]),
        department=health_dept,
        actor=liaison_sun,
    )
    assert (outcome.unchanged, outcome.not_applied) == (1, 0)


def test_a_supervision_column_naming_other_departments_is_refused_row_by_row(
    tmp_path, liaison_sun, health_dept, market_dept
):
    usccs = valid_usccs(3, seed=31)
    supervisors = ["WJW", "SCJGJ", "WJW、SCJGJ"]
    rows = [[*row, dept] for row, dept in zip(entity_rows(usccs), supervisors, strict=True)]
    path = write_csv(tmp_path / "h.csv", rows, header=[*ENTITY_HEADER, "监管部门"])
    outcome = import_file(kind="entities", path=path, department=health_dept, actor=liaison_sun)
    # only the first row, which names the health department alone, is created
    assert outcome.imported == 1 and outcome.not_applied == 2
    assert [(r.row, r.column, r.header, r.value) for r in outcome.refusals] == [
        (3, "I", "监管部门", "SCJGJ"),
        (4, "I", "监管部门", "WJW、SCJGJ"),
    ]
    assert all(FOREIGN_LINK in r.reason for r in outcome.refusals)
    assert list(MarketEntity.objects.values_list("uscc", flat=True)) == [usccs[0]]
    assert _codes(MarketEntity.objects.get()) == {"WJW"}


def test_new_firms_in_a_department_import_are_created_and_linked_to_it_only(
    tmp_path, liaison_sun, health_dept
):
    path = write_csv(tmp_path / "h.csv", entity_rows(valid_usccs(2, seed=41)))
    outcome = import_file(kind="entities", path=path, department=health_dept, actor=liaison_sun)
    assert outcome.imported == 2 and outcome.not_applied == 0
    assert all(_codes(e) == {"WJW"} for e in MarketEntity.objects.all())


def test_the_office_and_the_registration_authority_still_import_for_all(
    tmp_path, office_admin_wang, liaison_zhao, health_dept, market_dept, market_entity
):
    # the office, importing for the health department, links and updates the market's firm
    rows = [[*_row(market_entity, credit_class="C"), "WJW"]]
    path = write_csv(tmp_path / "o.csv", rows, header=[*ENTITY_HEADER, "监管部门"])
    outcome = import_file(
        kind="entities", path=path, department=health_dept, actor=office_admin_wang
    )
    assert (outcome.updated, outcome.not_applied) == (1, 0)
    market_entity.refresh_from_db()
    assert _codes(market_entity) == {"SCJGJ", "WJW"} and market_entity.credit_class == "C"
    # the registration authority's liaison may link another department too
    new = valid_usccs(1, seed=51)
    path = write_csv(
        tmp_path / "m.csv", [[*entity_rows(new)[0], "WJW"]], header=[*ENTITY_HEADER, "监管部门"]
    )
    outcome = import_file(kind="entities", path=path, department=market_dept, actor=liaison_zhao)
    assert outcome.imported == 1
    assert _codes(MarketEntity.objects.get(uscc=new[0])) == {"SCJGJ", "WJW"}


def test_the_job_page_counts_not_applied_rows_apart(
    tmp_path, client_for, liaison_sun, market_entity, django_capture_on_commit_callbacks
):
    path = write_csv(tmp_path / "h.csv", [_row(market_entity)])
    client: Client = client_for(liaison_sun)
    with django_capture_on_commit_callbacks(execute=True), open(path, "rb") as handle:
        client.post("/imports/", {"kind": "entities", "file": handle})
    run_queued_tasks()
    job = ImportJob.objects.get()
    assert (job.unchanged, job.not_applied) == (0, 1)
    page = client.get(f"/imports/{job.pk}/").content.decode()
    assert "未变化 0 条" in page and "无权修改未应用 1 行" in page and NOT_OURS in page


def test_a_department_inspector_import_leaves_other_departments_inspectors_alone(
    tmp_path, liaison_sun, health_dept, market_dept
):
    from spotcheck.directory.models import Inspector
    from tests.factories import InspectorFactory

    # given a market inspector with certificate 11010100077
    market_inspector = InspectorFactory(department=market_dept, certificate_number="11010100077")
    # when the health department imports a row with that certificate number
    header = ["姓名", "执法证号", "证件有效期", "执法领域"]
    rows = [["冒名", "11010100077", "2030-01-01", "公共场所卫生"]]
    path = write_csv(tmp_path / "i.csv", rows, header=header)
    outcome = import_file(kind="inspectors", path=path, department=health_dept, actor=liaison_sun)
    # then the row is not applied, with its reason, and the inspector stays the market's
    assert (outcome.updated, outcome.rejected, outcome.not_applied) == (0, 0, 1)
    refusal = outcome.refusals[0]
    assert (refusal.row, refusal.column, refusal.header) == (2, "B", "执法证号")
    assert "该执法证号属于其他部门的执法检查人员" in refusal.reason
    market_inspector.refresh_from_db()
    assert market_inspector.department == market_dept and market_inspector.name != "冒名"
    assert Inspector.objects.count() == 1
