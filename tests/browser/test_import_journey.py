"""A department liaison imports an entity file from the browser and reads what was rejected."""

import random
import re

import openpyxl
import pytest
from playwright.sync_api import expect

from spotcheck.directory.uscc import ALPHABET, generate_uscc
from tests.queue import run_queued_tasks

from .conftest import HeldRequests, login

pytestmark = pytest.mark.browser

PASSWORD = "pw"  # every persona of tests/conftest.py (UserFactory)
HEADER = ["企业名称", "统一社会信用代码", "企业类型", "行政区划"]
VALID_NAMES = ["北京东城甲商贸有限公司", "北京东城乙餐饮有限公司", "北京东城丙科技有限公司"]
EXCEL_FLOAT_REASON = (
    "统一社会信用代码被Excel存成了数字（科学计数法），后几位已丢失，请把该列设为文本格式后重新填写"
)


def _wrong_check_character(code: str) -> str:
    return code[:17] + next(c for c in ALPHABET if c != code[17])


def write_entity_file(path):
    """Three good rows and, at known rows, the mistakes real files contain.

    Row 4 has a wrong check character, row 5 a code Excel stored as a float, row 6 is blank
    (skipped, not rejected), row 7 has no name.
    """
    rng = random.Random(1)
    good = [generate_uscc(rng) for _ in VALID_NAMES]
    bad_check = _wrong_check_character(generate_uscc(rng))
    rows = {
        2: [VALID_NAMES[0], good[0], "企业", "110101"],
        3: [VALID_NAMES[1], good[1], "企业", "110101"],
        4: ["北京东城丁物流有限公司", bad_check, "企业", "110101"],
        5: ["北京东城戊建材有限公司", 9.14690062012665e17, "企业", "110101"],
        7: [None, generate_uscc(rng), "企业", "110101"],
        8: [VALID_NAMES[2], good[2], "企业", "110101"],
    }
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for column, text in enumerate(HEADER, start=1):
        sheet.cell(row=1, column=column, value=text)
    for row, values in rows.items():
        for column, value in enumerate(values, start=1):
            sheet.cell(row=row, column=column, value=value)
    workbook.save(path)
    return bad_check


def test_liaison_imports_entities_and_reads_the_rejected_rows(page, liaison_zhao, tmp_path):
    # given the liaison of the market-supervision bureau (SCJGJ) and a file with three good rows
    upload = tmp_path / "检查对象名录.xlsx"
    bad_check = write_entity_file(upload)
    expected_rejections = [
        ["4", "B", "统一社会信用代码", bad_check, "统一社会信用代码校验位错误"],
        ["5", "B", "统一社会信用代码", "9.14690062012665E+17", EXCEL_FLOAT_REASON],
        ["7", "A", "企业名称", "", "名称为空"],
    ]
    login(page, "liaison_zhao", PASSWORD)

    # when they open 数据导入, choose 检查对象 and upload the file
    page.get_by_role("link", name="数据导入").click()
    expect(page).to_have_url(re.compile(r"/imports/$"))
    expect(page.locator("select[name=department]")).to_be_disabled()
    expect(page.locator("select[name=department] option:checked")).to_have_text(
        liaison_zhao.department.name
    )
    page.select_option("select[name=kind]", label="检查对象")
    page.set_input_files("input[name=file]", upload)
    polls = HeldRequests(page, "**/progress/")
    page.get_by_role("button", name="开始导入").click()

    # then the job page shows the queued job and its progress bar
    expect(page).to_have_url(re.compile(r"/imports/\d+/$"))
    expect(page.locator("#job-status")).to_have_text("排队中")
    expect(page.locator("#job-bar")).to_be_visible()

    # when the worker previews the file, the page notices by polling and shows what would happen
    run_queued_tasks()
    polls.release()
    expect(page.locator("#preview")).to_have_text(
        "确认后将新增 3 条，更新 0 条，未变化 0 条；其中 0 行有警告（该单元格不导入）；拒绝 3 行",
        timeout=15_000,
    )
    expect(page.locator("#job-status")).to_have_text("预览完成，待确认")

    # when the liaison confirms, the same file is queued again and applied by the worker
    polls = HeldRequests(page, "**/progress/")
    page.get_by_role("button", name="确认导入").click()
    expect(page.locator("#job-status")).to_have_text("排队中")
    run_queued_tasks()
    polls.release()
    expect(page.locator("#summary")).to_have_text(
        "新增 3 条，更新 0 条，未变化 0 条，拒绝 3 行", timeout=15_000
    )
    expect(page.locator("#job-status")).to_have_text("已完成")
    expect(page.locator("#job-bar")).to_have_attribute("value", "100")

    # then every rejected row is listed with its row, column, header, value and reason
    headers = page.locator("#rejections thead th").all_inner_texts()
    assert headers == ["行号", "列", "列名", "单元格内容", "原因"]
    shown = [
        [cell.strip() for cell in row.locator("td").all_inner_texts()]
        for row in page.locator("#rejections tbody tr").all()
    ]
    assert shown == expected_rejections

    # and the downloadable report holds the same rows
    with page.expect_download() as download_info:
        page.get_by_role("link", name="下载被拒绝行报告（XLSX）").click()
    report = tmp_path / "report.xlsx"
    download_info.value.save_as(report)
    sheet = openpyxl.load_workbook(report, read_only=True).active
    rows = [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    assert rows == [headers, *expected_rejections]

    # and the entity list of the liaison's department now shows the three imported entities
    page.get_by_role("link", name="检查对象名录库").click()
    expect(page).to_have_url(re.compile(r"/directory/entities/$"))
    names = page.locator("table tbody tr td:nth-child(2)").all_inner_texts()
    assert sorted(name.strip() for name in names) == sorted(VALID_NAMES)


def test_import_page_fits_a_phone_screen(phone_page, liaison_zhao):
    # given the liaison on a phone
    login(phone_page, "liaison_zhao", PASSWORD)
    # when they open the import page
    phone_page.goto("/imports/")
    expect(phone_page.get_by_role("button", name="开始导入")).to_be_visible()
    # then nothing sticks out sideways
    widths = phone_page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"page is {widths[0]}px wide on a {widths[1]}px screen"
