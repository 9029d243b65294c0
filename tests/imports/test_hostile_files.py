"""Hostile uploads: spreadsheet bombs and oversized sheets stop before parsing, a text file
named .xlsx is refused as not Excel, and the rejected-rows report has a ceiling."""

import io
import time
import zipfile

import openpyxl
import pytest
from faker import Faker
from hypothesis import given
from hypothesis import settings as examples
from hypothesis import strategies as st

from spotcheck.directory.models import MarketEntity
from spotcheck.imports.models import ImportJob, ImportStatus
from spotcheck.imports.reading import FileLevelError
from spotcheck.imports.reading.sources import detect_encoding
from spotcheck.imports.services import import_file
from tests.queue import run_queued_tasks

from .helpers import ENTITY_HEADER, entity_rows, valid_usccs, write_csv, write_xlsx

SHEET = "xl/worksheets/sheet1.xml"


def _with_sheet(path, sheet_xml: bytes):
    """The workbook at ``path`` with its first sheet replaced by ``sheet_xml`` (deflated)."""
    source = zipfile.ZipFile(io.BytesIO(path.read_bytes()))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = sheet_xml if item.filename == SHEET else source.read(item.filename)
            target.writestr(item.filename, data, compress_type=zipfile.ZIP_DEFLATED)
    path.write_bytes(buffer.getvalue())
    return path


def _bomb(tmp_path, inflated_bytes: int):
    """A real workbook whose sheet inflates to ``inflated_bytes`` of repeated rows."""
    path = write_xlsx(tmp_path / "bomb.xlsx", entity_rows(valid_usccs(1)))
    row = b'<row><c t="inlineStr"><is><t>' + b"A" * 200 + b"</t></is></c></row>"
    body = row * (inflated_bytes // len(row))
    sheet = b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    return _with_sheet(path, sheet + b"<sheetData>" + body + b"</sheetData></worksheet>")


@pytest.fixture
def small_limits(settings):
    settings.SPOTCHECK_IMPORT_MAX_UNCOMPRESSED_BYTES = 2 * 1024 * 1024
    settings.SPOTCHECK_IMPORT_MAX_ROWS = 100
    settings.SPOTCHECK_IMPORT_MAX_REPORT_ROWS = 10


def test_a_zip_bomb_stops_at_once_with_a_chinese_message(db, small_limits, tmp_path):
    # given a workbook of a few dozen KB that inflates to 8 MB (the limit is 2 MB)
    path = _bomb(tmp_path, 8 * 1024 * 1024)
    assert path.stat().st_size < 200 * 1024
    # when it is imported
    started = time.perf_counter()
    with pytest.raises(FileLevelError) as refused:
        import_file(kind="entities", path=path)
    # then it is refused before parsing, quickly, saying why in Chinese
    assert time.perf_counter() - started < 2
    assert refused.value.code == "too_large"
    assert "Excel文件解压后超过2 MB" in refused.value.message
    assert not MarketEntity.objects.exists()


def test_a_bomb_uploaded_on_the_web_fails_the_job_and_imports_nothing(
    client_for, liaison_zhao, small_limits, tmp_path, django_capture_on_commit_callbacks
):
    path = _bomb(tmp_path, 8 * 1024 * 1024)
    with django_capture_on_commit_callbacks(execute=True), open(path, "rb") as handle:
        client_for(liaison_zhao).post("/imports/", {"kind": "entities", "file": handle})
    run_queued_tasks()
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.FAILED
    assert "可能是异常文件，已停止导入" in job.failure
    assert not MarketEntity.objects.exists()


def test_a_sheet_with_too_many_rows_is_refused_before_parsing(db, small_limits, tmp_path):
    path = write_xlsx(tmp_path / "long.xlsx", entity_rows(valid_usccs(150)))
    with pytest.raises(FileLevelError) as refused:
        import_file(kind="entities", path=path)
    assert refused.value.code == "too_many_rows"
    assert "工作表超过100行" in refused.value.message


def test_a_sheet_within_the_limits_imports(db, small_limits, tmp_path):
    path = write_xlsx(tmp_path / "fine.xlsx", entity_rows(valid_usccs(90)))
    assert import_file(kind="entities", path=path).imported == 90


def test_a_text_file_named_xlsx_is_not_an_excel_file(db, tmp_path):
    path = write_csv(tmp_path / "renamed.xlsx", entity_rows(valid_usccs(3)))
    with pytest.raises(FileLevelError) as refused:
        import_file(kind="entities", path=path)
    assert "不是Excel文件" in refused.value.message
    assert refused.value.code == "format"


def test_a_damaged_workbook_is_refused_as_such(db, tmp_path):
    path = write_xlsx(tmp_path / "cut.xlsx", entity_rows(valid_usccs(3)))
    path.write_bytes(path.read_bytes()[:-200])
    with pytest.raises(FileLevelError) as refused:
        import_file(kind="entities", path=path)
    assert "Excel文件已损坏" in refused.value.message


def test_the_report_keeps_a_ceiling_while_the_summary_counts_every_rejection(
    client_for, liaison_zhao, small_limits, tmp_path, django_capture_on_commit_callbacks
):
    # given 30 rows with a broken code (the report keeps 10)
    rows = [[f"坏代码{i}商店", "91110101MA00000000", "", "", "", "", "", ""] for i in range(30)]
    path = write_csv(tmp_path / "bad.csv", rows, header=ENTITY_HEADER)
    client = client_for(liaison_zhao)
    with django_capture_on_commit_callbacks(execute=True), open(path, "rb") as handle:
        client.post("/imports/", {"kind": "entities", "file": handle})
    run_queued_tasks()
    job = ImportJob.objects.get()
    # then the job counts all 30, and the report lists 10 and says 20 more were left out
    assert job.rejected == 30
    response = client.get(f"/imports/{job.pk}/report.xlsx")
    report = tmp_path / "report.xlsx"
    report.write_bytes(b"".join(response.streaming_content))
    lines = list(openpyxl.load_workbook(report).active.iter_rows(values_only=True))
    assert len(lines) == 1 + 10 + 1
    assert lines[-1][0].startswith("另有20行被拒绝，未列入本报告（共30行被拒绝）")


BIG5_HEADER = "企業名稱,統一社會信用代碼,企業類型,行業代碼,行政區劃,經營地址,登記狀態,信用風險分類"
BIG5_ROW = "臺北測試餐飲有限公司,91110101MA01ABCD12,企業,5212,110101,東城區測試路1號,存續,B"
SJIS_HEADER = "企業名,統一社会信用コード,企業種類,業種コード,行政区画,住所,登記状態,信用リスク分類"
SJIS_ROW = "東京テスト飲食株式会社,91110101MA01ABCD12,企業,5212,110101,千代田区テスト町1番,存続,B"


@pytest.mark.parametrize(
    ("encoding", "text", "named"),
    [
        ("big5", f"{BIG5_HEADER}\n{BIG5_ROW}\n", "Big5（繁体中文）"),
        ("shift_jis", f"{SJIS_HEADER}\n{SJIS_ROW}\n", "Shift-JIS（日文）"),
    ],
)
def test_a_csv_in_another_encoding_is_refused_by_name(db, tmp_path, encoding, text, named):
    # given a file whose bytes GB18030 would read without error, as mojibake
    path = tmp_path / "other.csv"
    path.write_bytes(text.encode(encoding))
    assert path.read_bytes().decode("gb18030") != text
    # when it is imported, then it is refused naming the likely encoding, nothing imported
    with pytest.raises(FileLevelError) as refused:
        import_file(kind="entities", path=path)
    assert refused.value.code == "encoding"
    assert named in refused.value.message
    assert not MarketEntity.objects.exists()


@examples(max_examples=30, deadline=None)
@given(seed=st.integers(0, 10_000), rows=st.integers(1, 40))
def test_real_chinese_gb18030_text_is_never_refused(seed, rows):
    faker = Faker("zh_CN")
    faker.seed_instance(seed)
    lines = ["企业名称,统一社会信用代码,经营地址"]
    lines += [f"{faker.company()},91110101MA01ABCD12,{faker.address()}" for _ in range(rows)]
    head = "\n".join(lines).encode("gb18030")
    assert detect_encoding(head) == "gb18030"


def test_rows_are_counted_whatever_namespace_prefix_the_sheet_uses(db, small_limits, tmp_path):
    path = write_xlsx(tmp_path / "prefixed.xlsx", entity_rows(valid_usccs(1)))
    row = b'<x:row><x:c t="inlineStr"><x:is><x:t>A</x:t></x:is></x:c></x:row>'
    sheet = (
        b'<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b"<x:sheetData>" + row * 150 + b"</x:sheetData></x:worksheet>"
    )
    with pytest.raises(FileLevelError) as refused:
        import_file(kind="entities", path=_with_sheet(path, sheet))
    assert refused.value.code == "too_many_rows"
