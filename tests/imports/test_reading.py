import csv

import openpyxl
import pytest

from spotcheck.directory.uscc import looks_like_excel_float
from spotcheck.imports.reading import FileLevelError, SourceRow, normalise_header, read_rows

from .xls_writer import write_xls

USCC = "91110000600037341L"
ENTITY_HEADER = ["序号", "企业名称", "统一社会信用代码", "企业类型", "行政区划", "经营地址", "备注"]


def write_csv(path, rows, encoding="utf-8"):
    with open(path, "w", encoding=encoding, newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


def test_rows_carry_canonical_fields_and_the_users_row_numbers(tmp_path):
    # given a CSV with a title line, a header on line 2 and a blank line inside the data
    path = write_csv(
        tmp_path / "entities.csv",
        [
            ["2025年度市场主体名录"],
            ENTITY_HEADER,
            ["1", "北京甲公司", USCC, "企业", "110105", "朝阳路1号", "不导入"],
            [],
            ["", "", "", "", "", "", ""],
            ["2", "北京乙公司", "", "个体工商户", "110101", "东城路2号", ""],
        ],
    )
    # when it is read
    rows = list(read_rows(path, "entities"))
    # then blank lines are skipped, numbers are as in the spreadsheet, unknown columns ignored
    assert [r.number for r in rows] == [3, 6]
    assert rows[0] == SourceRow(
        3,
        {
            "name": "北京甲公司",
            "uscc": USCC,
            "entity_type": "企业",
            "region": "110105",
            "address": "朝阳路1号",
        },
    )


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_csv_encodings_are_detected(tmp_path, encoding):
    path = write_csv(tmp_path / "e.csv", [ENTITY_HEADER, ["1", "北京甲公司", USCC]], encoding)
    stream = read_rows(path, "entities")
    assert stream.encoding == encoding
    assert next(stream).values["name"] == "北京甲公司"


def test_header_text_is_normalised(tmp_path):
    header = [" 企业名称（全称） ", "统一社会\n信用代码_x000D_", "tyxydm", "注　册　号"]
    path = write_csv(tmp_path / "e.csv", [header, ["甲", USCC, "x", "110105000000011"]])
    stream = read_rows(path, "entities")
    assert stream.fields == ("name", "uscc", "registration_number")
    assert stream.column_letters == {"name": "A", "uscc": "B", "registration_number": "D"}
    assert normalise_header("＊抽查比例（%）") == "抽查比例(%)"


def test_a_missing_required_column_is_a_file_level_error_naming_it(tmp_path):
    path = write_csv(tmp_path / "e.csv", [["企业名称", "经营地址"], ["甲", "乙"]])
    with pytest.raises(FileLevelError) as caught:
        read_rows(path, "entities")
    assert "统一社会信用代码" in caught.value.message
    assert caught.value.code == "missing_column"


def test_a_file_without_a_header_is_a_file_level_error(tmp_path):
    path = write_csv(tmp_path / "e.csv", [["a", "b"], ["1", "2"]])
    with pytest.raises(FileLevelError, match="未找到表头"):
        read_rows(path, "inspectors")


def test_an_html_file_named_xls_is_refused(tmp_path):
    path = tmp_path / "e.xls"
    path.write_text("<html><table><tr><td>企业名称</td></tr></table></html>", encoding="utf-8")
    with pytest.raises(FileLevelError, match="HTML"):
        read_rows(path, "entities")


def test_csv_fill_down_columns_mean_same_as_above(tmp_path):
    path = write_csv(
        tmp_path / "items.csv",
        [
            ["事项类别", "抽查事项", "检查对象", "部门"],
            ["食品", "食品生产检查", "食品生产企业", "市场监管局"],
            ["", "食品销售检查", "", ""],
            ["药品", "药品零售检查", "药店", ""],
        ],
    )
    rows = list(read_rows(path, "items"))
    assert [r.values["category"] for r in rows] == ["食品", "食品", "药品"]
    assert [r.values["department"] for r in rows] == ["市场监管局"] * 3
    assert rows[1].values["object"] == ""  # not a fill-down column


def test_line_breaks_and_x000d_inside_cells_collapse_to_one_space(tmp_path):
    path = write_csv(
        tmp_path / "e.csv",
        [ENTITY_HEADER, ["1", " 北京甲公司\r\n", USCC, "", "", "朝阳路_x000D_\n1号\n\n2层", ""]],
    )
    (row,) = read_rows(path, "entities")
    assert row.values["name"] == "北京甲公司"
    assert row.values["address"] == "朝阳路 1号 2层"


def make_entity_workbook(path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["某区市场主体名录"])
    sheet.merge_cells("A1:F1")
    # a two-line header: names merged over rows 2-3, a group heading over two sub-headings
    sheet.append(["企业名称", "统一社会信用代码", "行政区划", "地址", "监管信息", None])
    sheet.append([None, None, None, None, "信用风险分类", "监管部门"])
    for column in "ABCD":
        sheet.merge_cells(f"{column}2:{column}3")
    sheet.merge_cells("E2:F2")
    sheet.append(["北京甲公司", USCC, 110105, "朝阳路_x000D_\n1号", "A", "市场监管局"])
    sheet.append([None] * 6)
    sheet.append(["北京乙公司", 9.14690062012665e17, 110101.0, "东城路2号", "B", None])
    sheet.append(["北京丙公司", USCC, 110102, "西城路3号", "C", None])
    sheet.merge_cells("F6:F7")  # one department for two entities
    workbook.save(path)
    return path


def test_xlsx_two_line_header_merged_cells_and_excel_floats(tmp_path):
    path = make_entity_workbook(tmp_path / "entities.xlsx")
    stream = read_rows(path, "entities")
    rows = list(stream)
    assert stream.header_row_number == 3
    assert stream.labels["credit_class"] == "信用风险分类"
    assert [r.number for r in rows] == [4, 6, 7]
    first, second, third = (r.values for r in rows)
    assert first["address"] == "朝阳路 1号"
    assert first["region"] == "110105"
    assert second["region"] == "110101"
    # the code Excel turned into a float keeps Excel's form, so the validator rejects it
    assert second["uscc"] == "9.14690062012665E+17"
    assert looks_like_excel_float(second["uscc"])
    # a merged range means "same as above" (F6:F7 holds no value, so both stay blank)
    assert first["departments"] == "市场监管局"
    assert second["departments"] == third["departments"] == ""


def test_xlsx_merged_data_cells_take_the_top_left_value(tmp_path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["企业名称", "统一社会信用代码", "监管部门"])
    sheet.append(["甲", USCC, "市场监管局"])
    sheet.append(["乙", USCC, None])
    sheet.append(["丙", USCC, None])
    sheet.merge_cells("C2:C3")
    workbook.save(tmp_path / "e.xlsx")
    rows = list(read_rows(tmp_path / "e.xlsx", "entities"))
    assert [r.values["departments"] for r in rows] == ["市场监管局", "市场监管局", ""]


def test_a_group_heading_above_sub_headings_is_combined(tmp_path):
    # given a CSV export of a two-line header: nothing is merged any more
    path = write_csv(
        tmp_path / "e.csv",
        [
            ["企业名称", "统一社会信用代码", "监管信息", ""],
            ["", "", "信用风险分类", "监管部门"],
            ["甲", USCC, "A", "市场监管局"],
        ],
    )
    stream = read_rows(path, "entities")
    (row,) = stream
    assert stream.header_row_number == 2
    assert stream.labels["credit_class"] == "监管信息 信用风险分类"
    assert row.number == 3
    assert row.values == {
        "name": "甲",
        "uscc": USCC,
        "credit_class": "A",
        "departments": "市场监管局",
    }


def test_xlsx_merged_item_categories_fill_every_row_of_the_range(tmp_path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["抽查类别", "抽查事项", "检查方式", "抽查比例"])
    sheet.append(["食品", "食品生产检查", "现场检查", 0.05])
    sheet.append([None, "食品销售检查", "书面检查", 0.1])
    sheet.append([None, "餐饮服务检查", "现场检查", 1])
    sheet.merge_cells("A2:A4")
    workbook.save(tmp_path / "items.xlsx")
    rows = list(read_rows(tmp_path / "items.xlsx", "items"))
    assert [r.values["category"] for r in rows] == ["食品"] * 3
    assert [r.values["ratio"] for r in rows] == ["0.05", "0.1", "1"]


def test_xls_files_are_read_with_merges_and_numbers(tmp_path):
    path = tmp_path / "items.xls"
    write_xls(
        path,
        [
            ["抽查类别", "抽查事项", "检查对象", "抽查频次"],
            ["食品", "食品生产检查", "食品生产企业", 1],
            ["", "食品销售检查", "食品经营者", 2.0],
            [],
            ["药品", "药品零售检查", "药店", 0.5],
        ],
        merges=[(1, 0, 2, 0)],
    )
    rows = list(read_rows(path, "items"))
    assert [r.number for r in rows] == [2, 3, 5]
    assert [r.values["category"] for r in rows] == ["食品", "食品", "药品"]
    assert [r.values["frequency"] for r in rows] == ["1", "2", "0.5"]


def test_inspectors_header_aliases(tmp_path):
    path = write_csv(
        tmp_path / "i.csv",
        [
            ["姓名", "执法证号", "证件有效期", "所属部门", "专业领域", "区域", "状态", "每批上限"],
            ["张三", "11010001", "2027-12-31", "市场监管局", "食品", "110105", "在岗", "20"],
        ],
    )
    (row,) = read_rows(path, "inspectors")
    assert set(row.values) == {
        "name",
        "certificate_number",
        "certificate_expiry",
        "department",
        "expertise",
        "region",
        "status",
        "capacity",
    }


def test_a_large_csv_is_streamed_not_loaded_whole(tmp_path):
    # given a 50,000-row CSV (speed is measured in bench/import_entities.py, not here)
    path = tmp_path / "big.csv"
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(ENTITY_HEADER)
        for i in range(50_000):
            writer.writerow([i, f"企业{i}", USCC, "企业", "110105", f"地址{i}", ""])
    # when the first row is taken
    stream = read_rows(path, "entities")
    next(stream)
    # then most of the file is still unread, and the rest arrives in order
    assert stream.fraction_read < 0.5
    assert sum(1 for _ in stream) == 49_999
    assert stream.fraction_read == 1.0
