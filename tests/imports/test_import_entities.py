"""Importing the entity directory: clear rejections with row and column, idempotent upserts,
nothing half-applied."""

import pytest
from django.core.management import call_command

from spotcheck.audit.models import AuditEvent
from spotcheck.directory.models import MarketEntity
from spotcheck.directory.uscc import registration_number_check_digit
from spotcheck.imports import services
from spotcheck.imports.services import import_file

from .helpers import entity_rows, valid_usccs, write_csv, write_xlsx


@pytest.fixture
def usccs():
    return valid_usccs(5)


def test_cli_reports_every_rejected_row_and_ends_with_the_summary(db, tmp_path, usccs, capsys):
    # given three good rows, a wrong check character, an Excel float code and a missing name
    bad_check = usccs[3][:-1] + ("0" if usccs[3][-1] != "0" else "1")
    rows = [
        *entity_rows(usccs[:3]),
        ["北京坏校验位有限公司", bad_check, "企业", "5212", "110101", "", "存续", "A"],
        ["北京被转成数字有限公司", "9.14690062012665e+17", "企业", "", "110101", "", "", ""],
        ["", usccs[4], "企业", "", "110101", "", "", ""],
    ]
    path = write_csv(tmp_path / "entities.csv", rows)
    report = tmp_path / "rejected.xlsx"
    # when imported from the command line
    call_command("import", "entities", str(path), "--errors", str(report))
    out = capsys.readouterr().out.splitlines()
    # then each rejection names its row (header is row 1), column and a Chinese reason
    assert out[-1] == "imported 3, updated 0, rejected 3"
    assert any(
        line.startswith("第 5 行 B列（统一社会信用代码）") and "校验位" in line for line in out
    )
    assert any(line.startswith("第 6 行 B列") and "Excel" in line for line in out)
    assert any(line.startswith("第 7 行 A列（企业名称）") and "名称为空" in line for line in out)
    assert report.exists()
    assert sorted(MarketEntity.objects.values_list("uscc", flat=True)) == sorted(usccs[:3])


def test_reimporting_the_same_file_changes_nothing(db, tmp_path, usccs):
    path = write_xlsx(tmp_path / "entities.xlsx", entity_rows(usccs))
    first = import_file(kind="entities", path=path)
    history_rows = MarketEntity.history.count()
    second = import_file(kind="entities", path=path)
    assert (first.imported, first.updated) == (5, 0)
    assert (second.imported, second.updated, second.unchanged) == (0, 0, 5)
    assert MarketEntity.history.count() == history_rows == 5


def test_a_changed_row_is_updated_and_keeps_history(db, tmp_path, usccs):
    import_file(kind="entities", path=write_csv(tmp_path / "a.csv", entity_rows(usccs)))
    rows = entity_rows(usccs)
    rows[2][7] = "D"  # credit class raised
    outcome = import_file(kind="entities", path=write_csv(tmp_path / "b.csv", rows))
    assert (outcome.imported, outcome.updated, outcome.unchanged) == (0, 1, 4)
    entity = MarketEntity.objects.get(uscc=usccs[2])
    assert entity.credit_class == "D"
    assert [h.credit_class for h in entity.history.order_by("history_date")] == ["B", "D"]


def test_a_file_without_a_column_leaves_that_field_alone(db, tmp_path, usccs):
    rows = entity_rows(usccs)
    rows[0][7] = "C"
    import_file(kind="entities", path=write_csv(tmp_path / "full.csv", rows))
    narrow = write_csv(tmp_path / "narrow.csv", [[r[0], r[1]] for r in rows], ["名称", "TYXYDM"])
    outcome = import_file(kind="entities", path=narrow)
    assert outcome.unchanged == 5
    assert MarketEntity.objects.get(uscc=usccs[0]).credit_class == "C"


def test_duplicate_key_in_one_file_is_rejected_with_the_first_row(db, tmp_path, usccs):
    rows = [*entity_rows(usccs[:2]), entity_rows(usccs[:1])[0]]
    outcome = import_file(kind="entities", path=write_csv(tmp_path / "dup.csv", rows))
    assert outcome.imported == 2
    assert [(r.row, r.reason) for r in outcome.rejections] == [
        (4, "与第 2 行重复（同一文件中出现两次），本行未导入")
    ]


def test_registration_number_stands_in_for_a_missing_uscc(db, tmp_path):
    number = "11010100000000" + registration_number_check_digit("11010100000000")
    wrong = number[:-1] + str((int(number[-1]) + 1) % 10)
    header = ["企业名称", "统一社会信用代码/注册号"]
    path = write_csv(tmp_path / "old.csv", [["老字号商店", number], ["新字号", wrong]], header)
    outcome = import_file(kind="entities", path=path)
    assert outcome.imported == 1
    assert MarketEntity.objects.get().key == number
    assert [(r.row, r.column, r.reason) for r in outcome.rejections] == [
        (3, "B", "15位注册号校验位错误")
    ]


def test_nothing_is_applied_when_the_job_dies_midway(db, tmp_path, monkeypatch):
    # given a file of three chunks, and a writer that dies on the second chunk
    monkeypatch.setattr(services, "CHUNK_SIZE", 2)
    path = write_csv(tmp_path / "big.csv", entity_rows(valid_usccs(6, seed=3)))
    real_write = services.write_entity_chunk
    calls = []

    def dying_write(rows, **kwargs):
        calls.append(len(rows))
        if len(calls) == 2:
            raise OSError("disk full")
        return real_write(rows, **kwargs)

    monkeypatch.setattr(services, "write_entity_chunk", dying_write)
    with pytest.raises(OSError):
        import_file(kind="entities", path=path)
    # then the first chunk was rolled back too, and no audit event claims an import
    assert not MarketEntity.objects.exists()
    assert not MarketEntity.history.exists()
    assert not AuditEvent.objects.exists()


def test_import_is_audited_with_the_file_hash_and_counts(db, tmp_path, usccs, office_admin_wang):
    path = write_csv(tmp_path / "e.csv", entity_rows(usccs))
    import_file(kind="entities", path=path, actor=office_admin_wang)
    event = AuditEvent.objects.get()
    assert event.actor == office_admin_wang
    assert event.extra["imported"] == 5 and len(event.extra["sha256"]) == 64


def _report(outcome) -> list[tuple]:
    return [(r.row, r.column, r.reason) for r in outcome.report_rows()] + [
        (w.row, w.column, w.reason) for w in outcome.warnings
    ]


def test_a_file_checked_in_small_slices_gives_the_same_import(db, tmp_path, monkeypatch):
    # Given a file whose repeats, bad codes and unreadable cells fall in different slices
    usccs = valid_usccs(6, seed=5)
    rows = entity_rows(usccs)
    rows[1][1] = rows[1][1][:17] + ("0" if rows[1][1][17] != "0" else "1")  # check character
    rows[2][6] = "半死不活"  # an unreadable 登记状态: kept with a warning
    rows += [entity_rows(usccs[:1])[0], entity_rows(usccs[3:4])[0], entity_rows(usccs[5:])[0]]
    path = write_csv(tmp_path / "sliced.csv", rows)
    # When it is imported checked 2 rows at a time, and again (rolled back) as one slice
    whole = import_file(kind="entities", path=path, dry_run=True)
    monkeypatch.setattr(services, "VALIDATE_ROWS", 2)
    sliced = import_file(kind="entities", path=path)
    # Then the same rows are rejected (repeats name their first row) and the same written
    assert _report(sliced) == _report(whole)
    assert (sliced.imported, sliced.rejected) == (whole.imported, whole.rejected) == (5, 4)
    assert ("与第 2 行重复（同一文件中出现两次），本行未导入") in [r for *_, r in _report(sliced)]
    assert set(MarketEntity.objects.values_list("key", flat=True)) == {
        code for i, code in enumerate(usccs) if i != 1
    }


def test_repeats_across_many_slices_of_a_large_file_are_rejected(db, tmp_path, monkeypatch):
    # Given 1,200 rows checked 300 at a time, each slice repeating keys of the slices before
    usccs = valid_usccs(1_000, seed=9)
    rows = entity_rows(usccs)
    for at in (350, 700, 950):  # rows of slices 2, 3 and 4 repeating the first slices' keys
        rows[at:at] = entity_rows(usccs[at - 340 : at - 270])
    monkeypatch.setattr(services, "VALIDATE_ROWS", 300)
    outcome = import_file(kind="entities", path=write_csv(tmp_path / "repeats.csv", rows))
    # Then every repeat is rejected naming the row of its first appearance, the rest written
    assert (outcome.imported, outcome.rejected) == (1_000, 210)
    firsts: dict[str, int] = {}
    for number, (_, code, *_) in enumerate(rows, start=2):
        firsts.setdefault(code, number)
    assert [(r.row, r.reason) for r in outcome.rejections] == [
        (number, f"与第 {firsts[code]} 行重复（同一文件中出现两次），本行未导入")
        for number, (_, code, *_) in enumerate(rows, start=2)
        if firsts[code] != number
    ]
    assert MarketEntity.objects.count() == 1_000
