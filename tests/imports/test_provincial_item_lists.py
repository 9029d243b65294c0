"""A provincial check-item list loads whole: one sheet for many departments named by their
provincial names, two-line headers with merged cells under a title row, continuation rows,
general items without a ratio."""

from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from spotcheck.accounts.department_names import department_core
from spotcheck.accounts.models import DepartmentAlias
from spotcheck.audit.event_types import AuditEventType
from spotcheck.audit.models import AuditEvent
from spotcheck.imports.services import import_file
from spotcheck.items.models import CheckItem
from spotcheck.plans.errors import TaskErrorCode
from spotcheck.plans.validation import task_errors
from tests.factories import DepartmentFactory
from tests.plans.conftest import draft_for, market_population  # noqa: F401 (a fixture)

from .helpers import write_sheet

TITLE = "海南省市场监管领域部门随机抽查事项清单（2026年版）"
UPPER = [
    "序号",
    "编制单位名称",
    "抽查项目",
    "",
    "检查对象",
    "抽查依据",
    "检查方式",
    "事项类型",
    "抽查比例",
]
LOWER = ["", "", "抽查类别", "抽查事项", "", "", "", "", ""]
ALL_METHODS = "现场检查、书面检查、网络检查、专业机构核查"
ROWS = [
    [1, "省市场监管局", "食品安全监督检查", "食品生产企业监督检查", "食品生产企业",
     "《食品安全法》第一百一十条", ALL_METHODS, "重点检查事项", ""],
    # continues the item above: one more object and one more legal basis
    ["", "", "", "", "食品添加剂生产企业", "《食品安全法实施条例》", "", "", ""],
    # a general item without a ratio; the kind ends in a line break
    [2, "", "", "食品销售者监督检查", "食品销售者", "《食品安全法》", "现场检查", "一般检查事项\n", ""],
    [3, "省人力资源和社会保障厅", "劳动保障监察", "用人单位遵守劳动用工情况检查", "用人单位",
     "《劳动保障监察条例》", "书面检查", "一般", "5%"],
    [4, "省卫健委", "公共场所卫生", "公共场所卫生监督检查", "住宿场所", "《公共场所卫生管理条例》",
     "现场检查", "一般检查事项", "按需"],
    [5, "省旅文厅", "旅游市场", "旅行社经营行为检查", "旅行社", "《旅游法》", "现场检查", "一般", "3%"],
    [6, "海口海关", "进出口商品检验", "进口商品检验", "进口商", "《进出口商品检验法》", "抽样检验",
     "重点", ""],
    [7, "国家税务总局海南省税务局", "税收检查", "发票使用情况检查", "纳税人", "《发票管理办法》",
     "书面检查", "一般", "2%"],
    [8, "省林业局", "林业", "林木种苗检查", "种苗生产者", "《种子法》", "现场检查", "一般", "3%"],
]  # fmt: skip
# 0-based (first_row, first_col, last_row, last_col): title, two-line header, vertical merges
MERGES = [
    (0, 0, 0, 8),
    (1, 2, 1, 3),
    *[(1, c, 2, c) for c in (0, 1, 4, 5, 6, 7, 8)],
    (3, 1, 5, 1),  # 省市场监管局 for three rows
    (3, 2, 5, 2),  # 食品安全监督检查 for three rows
    (3, 3, 4, 3),  # the first item over its continuation row
    (3, 0, 4, 0),
]


def write_list(path, rows=ROWS):
    return write_sheet(path, [[TITLE, *[""] * 8], UPPER, LOWER, *rows], MERGES)


@pytest.fixture
def district(market_dept, health_dept):
    return {
        "SCJGJ": market_dept,
        "WJW": health_dept,
        "RSJ": DepartmentFactory(code="RSJ", name="东城区人力资源和社会保障局"),
        "LWJ": DepartmentFactory(code="LWJ", name="东城区旅游和文化广电体育局"),
        "HG": DepartmentFactory(code="HG", name="海口海关"),
        "SWJ": DepartmentFactory(code="SWJ", name="国家税务总局东城区税务局"),
        "LYJ": DepartmentFactory(code="LYJ", name="东城区园林绿化局"),
    }


def _items(code):
    return {
        item.current_version.name: item.current_version
        for item in CheckItem.objects.filter(department__code=code)
    }


@pytest.mark.parametrize("suffix", [".xlsx", ".xls"])
def test_a_provincial_list_loads_for_every_department(db, tmp_path, district, suffix):
    outcome = import_file(kind="items", path=write_list(tmp_path / f"list{suffix}"))
    # six items for five departments; the unreadable ratio and the unknown department rejected
    assert outcome.summary_line() == "imported 6, updated 0, rejected 2"
    assert {name: counts["imported"] for name, counts in outcome.per_department.items()} == {
        "东城区市场监督管理局": 2,
        "东城区人力资源和社会保障局": 1,
        "东城区旅游和文化广电体育局": 1,
        "海口海关": 1,
        "国家税务总局东城区税务局": 1,
    }
    rejected = {(r.row, r.column): r.reason for r in outcome.rejections}
    assert rejected[(8, "I")] == "抽查比例“按需”无法识别，请填写如 5%"
    assert rejected[(12, "B")].startswith("部门“省林业局”在本地没有对应的部门")
    assert [(w.row, w.column, w.reason) for w in outcome.warnings] == [
        (6, "I", "清单未设定抽查比例，按部门默认上限执行")
    ]
    market = _items("SCJGJ")
    production = market["食品生产企业监督检查"]
    # the continuation row extended the item: neither a new item nor a rejection
    assert production.inspection_object == "食品生产企业；食品添加剂生产企业"
    assert production.legal_basis == "《食品安全法》第一百一十条；《食品安全法实施条例》"
    assert production.methods == ["on_site", "online", "professional", "written"]
    assert (production.category, production.kind) == ("食品安全监督检查", "key")
    sales = market["食品销售者监督检查"]
    assert (sales.category, sales.kind, sales.ratio_cap) == ("食品安全监督检查", "general", None)
    assert not sales.cap_set_in_list
    assert sales.effective_ratio_cap() == Decimal("0.05")
    assert _items("LWJ")["旅行社经营行为检查"].ratio_cap == Decimal("0.0300")
    # the same list again changes nothing
    again = import_file(kind="items", path=write_list(tmp_path / f"again{suffix}"))
    assert again.summary_line() == "imported 0, updated 0, rejected 2"
    assert again.unchanged == 6


def test_an_alias_added_by_the_office_resolves_the_unknown_department(db, tmp_path, district):
    # given the office names 省林业局's local counterpart
    call_command("department", "alias", "LYJ", "省林业局")
    event = AuditEvent.objects.get(event_type=AuditEventType.DEPARTMENT_ALIAS_ADDED)
    assert event.extra == {"alias": "省林业局"}
    # then the whole list loads but for the unreadable ratio
    outcome = import_file(kind="items", path=write_list(tmp_path / "list.xlsx"))
    assert outcome.summary_line() == "imported 7, updated 0, rejected 1"
    assert list(_items("LYJ")) == ["林木种苗检查"]


def test_the_command_lists_a_departments_core_and_aliases(db, district, capsys):
    call_command("department", "alias", "LYJ", "省林业局")
    call_command("department", "aliases", "LYJ")
    assert capsys.readouterr().out.splitlines()[-2:] == [
        "东城区园林绿化局（匹配名称核心：园林绿化）",
        "省林业局",
    ]


def test_an_alias_already_naming_another_department_is_refused(db, district):
    DepartmentAlias.objects.create(department=district["LYJ"], alias="省林业局")
    with pytest.raises(CommandError, match="已是东城区园林绿化局的名称或别名"):
        call_command("department", "alias", "SCJGJ", "省林业局")
    with pytest.raises(CommandError, match="已是东城区卫生健康委员会的名称或别名"):
        call_command("department", "alias", "SCJGJ", "东城区卫生健康委员会")


def test_a_forced_department_still_takes_only_its_own_rows(db, tmp_path, district):
    outcome = import_file(
        kind="items", path=write_list(tmp_path / "list.xlsx"), department=district["SCJGJ"]
    )
    assert outcome.imported == 2
    assert set(_items("SCJGJ")) == {"食品生产企业监督检查", "食品销售者监督检查"}
    assert all(r.column in ("B", "I") for r in outcome.rejections)
    assert CheckItem.objects.count() == 2


@pytest.mark.usefixtures("market_population")
def test_the_department_default_cap_governs_items_without_a_ratio(db, tmp_path, district):
    import_file(kind="items", path=write_list(tmp_path / "list.xlsx"))
    sales = _items("SCJGJ")["食品销售者监督检查"]
    call_command("department", "cap", "SCJGJ", "3%")
    sales.item.department.refresh_from_db()
    assert sales.effective_ratio_cap() == Decimal("0.0300")
    errors = task_errors(draft_for(district["SCJGJ"], [sales.item], values={"*": "0.04"}))
    assert [e.code for e in errors] == [TaskErrorCode.GENERAL_ITEM_CAP_EXCEEDED]
    assert "上限为 3.0%，本任务为 4.0%" in errors[0].message


def test_the_dry_run_prints_counts_per_department_and_writes_nothing(
    db, tmp_path, district, capsys
):
    call_command("import", "items", str(write_list(tmp_path / "list.xlsx")), "--dry-run")
    out = capsys.readouterr().out.splitlines()
    assert "东城区市场监督管理局: imported 2, updated 0, unchanged 0" in out
    assert out[-2:] == [
        "kept with warnings 1 rows (1 warnings)",
        "imported 6, updated 0, rejected 2",
    ]
    assert not CheckItem.objects.exists()


@pytest.mark.parametrize(
    "provincial,local",
    [
        ("省市场监管局", "东城区市场监督管理局"),
        ("海南省市场监督管理局", "东城区市场监督管理局"),
        ("省卫健委", "东城区卫生健康委员会"),
        ("省人力资源和社会保障厅", "东城区人社局"),
        ("省住房和城乡建设厅", "东城区住建局"),
        ("省发展和改革委员会", "东城区发改委"),
        ("省旅文厅", "东城区文化旅游局"),
        ("省旅游和文化广电体育厅", "东城区文旅局"),
        ("省消防救援总队", "东城区消防救援大队"),
        ("消防救援机构", "东城区消防救援大队"),
        ("国家税务总局海南省税务局", "国家税务总局东城区税务局"),
        ("海口海关", "海口海关"),
        ("教育部门", "东城区教育局"),
        ("琼中黎族苗族自治县市场监督管理局", "东城区市场监督管理局"),
    ],
)
def test_other_levels_names_share_the_core(provincial, local):
    assert department_core(provincial) == department_core(local)


def test_different_departments_keep_different_cores():
    names = ["东城区市场监督管理局", "东城区卫生健康委员会", "东城区人力资源和社会保障局",
             "东城区住房和城乡建设局", "东城区教育局", "东城区生态环境局", "东城区消防救援大队",
             "国家税务总局东城区税务局", "东城区应急管理局", "东城区交通运输局"]  # fmt: skip
    assert len({department_core(n) for n in names}) == len(names)


@given(
    st.sampled_from(["海南省", "海口市", "东城区", "省", "市", "区", "县", "海南省海口市"]),
    st.sampled_from(["市场监督管理", "卫生健康", "生态环境", "应急管理", "住房和城乡建设"]),
    st.sampled_from(["局", "厅", "委员会", "委", "部门", ""]),
)
def test_place_and_body_never_change_the_core(place, base, body):
    assert department_core(place + base + body) == department_core(base)


def test_the_office_adds_an_alias_and_a_cap_in_the_browser(db, client, district, office_admin_wang):
    client.force_login(office_admin_wang)
    url = reverse("accounts:department_settings")
    lyj = district["LYJ"]
    client.post(url, {"action": "alias", "department": lyj.pk, "alias": "省林业局"})
    client.post(url, {"action": "cap", "department": lyj.pk, "cap": "3"})
    lyj.refresh_from_db()
    assert list(lyj.aliases.values_list("alias", flat=True)) == ["省林业局"]
    assert lyj.default_ratio_cap == Decimal("0.0300")
    assert (
        AuditEvent.objects.filter(
            event_type__in=[
                AuditEventType.DEPARTMENT_ALIAS_ADDED,
                AuditEventType.DEPARTMENT_DEFAULT_CAP_SET,
            ],
            actor=office_admin_wang,
        ).count()
        == 2
    )
    page = client.get(url).content.decode()
    assert "省林业局" in page and "园林绿化" in page
    # a name another department already has is refused with the owner named
    refused = client.post(url, {"action": "alias", "department": lyj.pk, "alias": "海口海关"})
    assert "“海口海关”已是海口海关的名称或别名" in refused.content.decode()


def test_only_the_office_sees_department_settings(db, client, liaison_zhao):
    client.force_login(liaison_zhao)
    assert client.get(reverse("accounts:department_settings")).status_code == 403
