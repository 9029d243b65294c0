"""Inspectors and check items arrive as the messy spreadsheets departments keep."""

from datetime import date

import openpyxl
import pytest

from spotcheck.directory.models import Inspector, InspectorStatus
from spotcheck.imports.services import import_file
from spotcheck.items.models import CheckItem

from .helpers import write_csv

INSPECTOR_HEADER = ["姓名", "执法证号", "证件有效期", "所属部门", "执法领域", "状态", "每批上限"]


def test_inspectors_import_with_dates_in_every_shape(db, tmp_path, market_dept):
    rows = [
        ["张三", "11010100001", "2027-12-31", "SCJGJ", "食品安全、特种设备", "在岗", "15"],
        ["李四", "11010100002", "2027年6月30日", "东城区市场监督管理局", "广告监管", "休假", ""],
        ["王五", "11010100003", "2028/1/5", "", "计量", "", "20.0"],
        ["赵六", "11010100004", "明年", "SCJGJ", "", "", ""],
        ["钱七", "11010100005", "2027-01-01", "WJW", "", "", ""],
    ]
    path = write_csv(tmp_path / "inspectors.csv", rows, INSPECTOR_HEADER)
    outcome = import_file(kind="inspectors", path=path, department=market_dept)
    assert outcome.imported == 3
    reasons = {r.row: (r.column, r.reason) for r in outcome.rejections}
    assert reasons[5] == ("C", "日期“明年”无法识别，请使用 2027-12-31 的格式")
    assert reasons[6][0] == "D" and "没有对应的部门" in reasons[6][1]
    li = Inspector.objects.get(certificate_number="11010100002")
    assert li.certificate_expiry == date(2027, 6, 30)
    assert li.status == InspectorStatus.ON_LEAVE
    # a blank department cell means "same as above" (merged cell in the original sheet)
    assert Inspector.objects.get(certificate_number="11010100003").department == market_dept
    assert Inspector.objects.get(certificate_number="11010100001").expertise == [
        "特种设备",
        "食品安全",
    ]


def test_department_import_refuses_another_departments_staff(
    db, tmp_path, market_dept, health_dept
):
    rows = [["孙八", "11010100009", "2027-01-01", "WJW", "", "", ""]]
    path = write_csv(tmp_path / "i.csv", rows, INSPECTOR_HEADER)
    outcome = import_file(kind="inspectors", path=path, department=market_dept)
    assert outcome.imported == 0
    assert "不能导入其他部门的数据" in outcome.rejections[0].reason


def _items_workbook(path, *, second_basis="《食品安全法》"):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["东城区市场监督管理局随机抽查事项清单"])
    sheet.append(
        ["序号", "抽查事项", None, "检查对象", "抽查依据", "检查方式", "事项类型", "抽查比例"]
    )
    sheet.append([None, "抽查类别", "抽查事项名称", None, None, None, None, None])
    sheet.merge_cells("B2:C2")
    sheet.append(
        [
            1,
            "食品安全监督检查",
            "食品生产企业监督检查",
            "食品生产企业",
            "《食品安全法》_x000D_\n第一百一十条",
            "现场检查",
            "重点",
            "",
        ]
    )
    sheet.append(
        [
            2,
            None,
            "食品销售者监督检查",
            "食品销售者",
            second_basis,
            "现场检查、书面检查",
            "一般",
            "5%",
        ]
    )
    sheet.append(
        [
            3,
            "企业公示信息检查",
            "年报公示信息检查",
            "企业",
            "《企业信息公示暂行条例》",
            "网络检查",
            "一般",
            "",
        ]
    )
    sheet.merge_cells("B4:B5")  # the category cell spans two items
    book.save(path)
    return path


def test_items_import_two_line_header_merged_category_and_versions(db, tmp_path, market_dept):
    outcome = import_file(
        kind="items", path=_items_workbook(tmp_path / "items.xlsx"), department=market_dept
    )
    assert outcome.imported == 3
    # a general item without its ratio cap is kept under the department's default cap, with a
    # warning naming the ratio column (provincial lists set no ratio)
    assert outcome.rejections == []
    assert [(w.row, w.column, w.reason) for w in outcome.warnings] == [
        (6, "H", "清单未设定抽查比例，按部门默认上限执行")
    ]
    second = CheckItem.objects.get(current_version__name="食品销售者监督检查")
    assert second.current_version.category == "食品安全监督检查"
    assert str(second.current_version.ratio_cap) == "0.0500"
    assert second.current_version.methods == ["on_site", "written"]
    first = CheckItem.objects.get(current_version__name="食品生产企业监督检查")
    assert first.current_version.legal_basis == "《食品安全法》 第一百一十条"
    assert first.current_version.ratio_cap is None
    # re-importing the same list changes nothing
    same = import_file(
        kind="items", path=_items_workbook(tmp_path / "b.xlsx"), department=market_dept
    )
    assert (same.imported, same.updated, same.unchanged) == (0, 0, 3)
    # a changed legal basis makes a new version; the old one stays for past tasks
    changed = _items_workbook(tmp_path / "c.xlsx", second_basis="《食品安全法》第八十七条")
    again = import_file(kind="items", path=changed, department=market_dept)
    assert (again.imported, again.updated, again.unchanged) == (0, 1, 2)
    second.refresh_from_db()
    assert [v.legal_basis for v in second.versions.order_by("number")] == [
        "《食品安全法》",
        "《食品安全法》第八十七条",
    ]


@pytest.mark.parametrize("ratio", ["不超过5%", "0.05", "5 %"])
def test_ratio_written_in_any_common_way(db, tmp_path, market_dept, ratio):
    header = ["抽查类别", "抽查事项", "事项类型", "抽查比例"]
    path = write_csv(tmp_path / "r.csv", [["价格监督检查", "明码标价检查", "一般", ratio]], header)
    import_file(kind="items", path=path, department=market_dept)
    assert str(CheckItem.objects.get().current_version.ratio_cap) == "0.0500"
