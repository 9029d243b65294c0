"""Entity registers as cities really keep them: legacy registration numbers as keys, nameless
individual businesses, secondary cells that cannot be read, and warnings reported apart from
rejections."""

import openpyxl
import pytest
from django.core.management import call_command
from hypothesis import given
from hypothesis import strategies as st

from spotcheck.directory.legacy_numbers import (
    InvalidRegistrationNumber,
    is_placeholder,
    validate_registration_number,
)
from spotcheck.directory.models import MarketEntity
from spotcheck.directory.uscc import registration_number_check_digit
from spotcheck.imports.services import import_file

from .helpers import valid_usccs, write_sheet, write_xlsx

HEADER = ["序号", "企业名称", "统一社会信用代码", "注册号", "企业类型", "行业代码", "经营地址"]
REGNO15 = "46000040000011" + registration_number_check_digit("46000040000011")


def _register(usccs):
    """One row per trait; the comment says what must become of it."""
    bad_check = REGNO15[:-1] + str((int(REGNO15[-1]) + 1) % 10)
    return [
        # kept: valid USCC beside a pre-2007 registration number (kept as such)
        [1, "海口甲贸易有限公司", usccs[0], "4601002000123", "有限责任公司（自然人投资或控股）", "5212", "龙华路1号"],
        # kept: valid USCC, a type written differently and an unknown industry (warnings)
        [2, "海口乙餐饮店", usccs[1], "", "私营独资", "99999", "龙华路2号"],
        # kept: no USCC, a 15-digit registration number with its check digit
        [3, "海口丙商行", "", REGNO15, "企业", "", "龙华路3号"],
        # kept: a 13-digit number issued before 2007
        [4, "海口丁商店", "无", "4601002001234", "企业", "", "龙华路4号"],
        # kept: a cooperative's NA number
        [5, "海口戊种植专业合作社", "/", "469006NA000212X", "农民专业合作社", "", "琼中县"],
        # kept: foreign-invested forms
        [6, "海南己实业有限公司", "", "企独琼总字第008245号", "有限责任公司（外国法人独资）", "", ""],
        [7, "海南庚酒店有限公司分公司", "无资料内容", "企合琼分字第197182号", "", "", ""],
        # kept with a warning: an individual business without a trade name
        [8, "无字号", "92460100MA5T00001X", "", "个体工商户", "", "海口市秀英区长滨路9号"],
        # rejected: placeholders only, no key at all
        [9, "海口辛商店", "无资料内容", "/", "企业", "", ""],
        # rejected: a 15-digit number whose check digit is wrong, and no USCC
        [10, "海口壬商店", "", bad_check, "企业", "", ""],
        # rejected: Excel turned the USCC into a float
        [11, "海口癸有限公司", "9.14690062012665e+17", "", "企业", "", ""],
    ]  # fmt: skip


@pytest.fixture
def register_rows():
    usccs = valid_usccs(2, seed=31)
    rows = _register(usccs)
    rows[7][2] = ""  # the nameless shop is known by its registration number only
    rows[7][3] = "4601082001111"
    return usccs, rows


@pytest.mark.parametrize("suffix", ["xlsx", "xls"])
def test_a_city_register_keeps_every_valid_entity(db, tmp_path, register_rows, suffix):
    # given a register with a title row above the header, as cities publish them
    usccs, rows = register_rows
    titled = [["海口市市场主体名录（2026年）"], HEADER, *rows]
    path = write_sheet(tmp_path / f"register.{suffix}", titled, [(0, 0, 0, 6)])
    # when it is imported
    outcome = import_file(kind="entities", path=path)
    # then the eight valid entities are imported, three rows rejected, and each explained
    assert outcome.summary_line() == "imported 8, updated 0, rejected 3"
    keys = set(MarketEntity.objects.values_list("key", flat=True))
    assert keys == {usccs[0], usccs[1], REGNO15, "4601002001234", "469006NA000212X",
                    "企独琼总字第008245号", "企合琼分字第197182号", "4601082001111"}  # fmt: skip
    rejected = [(r.row, r.column, r.reason) for r in outcome.rejections]
    assert rejected == [
        (11, "C", "缺少统一社会信用代码（或注册号）"),
        (12, "D", "15位注册号校验位错误"),
        (13, "C", rejected[2][2]),
    ]
    assert "Excel" in rejected[2][2]
    warned = [(w.row, w.column, w.header) for w in outcome.warnings]
    assert warned == [
        (4, "E", "企业类型"),
        (4, "F", "行业代码"),
        (10, "B", "企业名称"),
    ]
    first = MarketEntity.objects.get(key=usccs[0])
    assert (first.registration_number, first.entity_type) == ("4601002000123", "enterprise")
    second = MarketEntity.objects.get(key=usccs[1])
    assert (second.entity_type, second.industry_code) == ("enterprise", "")
    cooperative = MarketEntity.objects.get(key="469006NA000212X")
    assert cooperative.entity_type == "cooperative"
    nameless = MarketEntity.objects.nameless().get()
    assert nameless.name == "（无字号）海口市秀英区长滨路9号"
    assert nameless.entity_type == "individual"


def test_the_old_format_number_beside_a_uscc_is_kept_not_rejected(db, tmp_path, register_rows):
    # a 13-digit number is a valid legacy number: kept as the registration number, no warning
    usccs, rows = register_rows
    outcome = import_file(kind="entities", path=write_xlsx(tmp_path / "r.xlsx", rows, HEADER))
    assert not [w for w in outcome.warnings if w.row == 2]
    assert MarketEntity.objects.get(key=usccs[0]).registration_number == "4601002000123"


def test_an_unreadable_registration_number_beside_a_uscc_is_a_warning(db, tmp_path):
    [uscc] = valid_usccs(1, seed=5)
    rows = [[1, "海口甲有限公司", uscc, "12345", "企业", "", ""]]
    outcome = import_file(kind="entities", path=write_xlsx(tmp_path / "r.xlsx", rows, HEADER))
    assert outcome.summary_line() == "imported 1, updated 0, rejected 0"
    [warning] = outcome.warnings
    assert (warning.row, warning.column, warning.value) == (2, "D", "12345")
    assert warning.reason.startswith("注册号格式无法识别")
    assert MarketEntity.objects.get().registration_number == ""


def test_the_terminal_and_the_report_list_warnings_apart(db, tmp_path, register_rows, capsys):
    _, rows = register_rows
    path = write_xlsx(tmp_path / "register.xlsx", rows, HEADER)
    report = tmp_path / "report.xlsx"
    call_command("import", "entities", str(path), "--errors", str(report))
    out = capsys.readouterr().out.splitlines()
    # the summary line keeps its shape; warnings come on their own line just before it
    assert out[-2:] == [
        "kept with warnings 2 rows (3 warnings)",
        "imported 8, updated 0, rejected 3",
    ]
    warned_at = out.index("已导入但有警告（该单元格未导入，其余内容已导入）：")
    rejected_at = out.index("被拒绝的行：")
    assert warned_at < rejected_at
    assert any(line.startswith("第 9 行 B列（企业名称）") for line in out[warned_at:rejected_at])
    assert any(line.startswith("第 10 行 C列（统一社会信用代码）") for line in out[rejected_at:])
    book = openpyxl.load_workbook(report)
    assert book.sheetnames == ["被拒绝的行", "已导入但有警告的行"]
    assert [row[0] for row in book["被拒绝的行"].iter_rows(min_row=2, values_only=True)] == [
        10,
        11,
        12,
    ]
    warnings = list(book["已导入但有警告的行"].iter_rows(min_row=2, values_only=True))
    assert [(row[0], row[1], row[2]) for row in warnings] == [
        (3, "E", "企业类型"), (3, "F", "行业代码"), (9, "B", "企业名称")
    ]  # fmt: skip


def test_a_dry_run_prints_the_outcome_and_changes_nothing(db, tmp_path, register_rows, capsys):
    _, rows = register_rows
    path = write_xlsx(tmp_path / "register.xlsx", rows, HEADER)
    call_command("import", "entities", str(path), "--dry-run")
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "预览（--dry-run）：未写入任何数据"
    assert out[-1] == "imported 8, updated 0, rejected 3"
    assert not MarketEntity.objects.exists()
    from spotcheck.audit.models import AuditEvent

    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize(
    "text", ["无", "无资料内容", "/", "／", " ", "", "—"]
)  # fmt: skip
def test_placeholders_are_not_keys(text):
    assert is_placeholder(text)


@given(st.text(alphabet="0123456789", min_size=14, max_size=14))
def test_every_15_digit_number_with_its_check_digit_is_a_key(first14):
    number = first14 + registration_number_check_digit(first14)
    assert validate_registration_number(f" {number} ") == number
    wrong = number[:-1] + str((int(number[-1]) + 1) % 10)
    with pytest.raises(InvalidRegistrationNumber):
        validate_registration_number(wrong)


@given(st.text(alphabet="0123456789ABCNX企独合琼总分字第号", max_size=20))
def test_anything_accepted_is_one_of_the_known_forms(text):
    try:
        number = validate_registration_number(text)
    except InvalidRegistrationNumber:
        return
    assert (
        (number.isdigit() and len(number) in (13, 15))
        or number[6:8] == "NA"
        or (number.startswith("企") and number.endswith("号"))
    )


def test_nameless_businesses_are_listed_for_completion(
    db, client, tmp_path, register_rows, office_admin_wang
):
    _, rows = register_rows
    import_file(kind="entities", path=write_xlsx(tmp_path / "register.xlsx", rows, HEADER))
    client.force_login(office_admin_wang)
    page = client.get("/directory/entities/", {"nameless": "1"}).content.decode()
    assert "（无字号）海口市秀英区长滨路9号" in page
    assert "海口丙商行" not in page
