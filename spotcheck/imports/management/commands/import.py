import sys
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from spotcheck.accounts.models import Department
from spotcheck.imports.models import ImportKind
from spotcheck.imports.reading import FileLevelError
from spotcheck.imports.report import write_rejections_report
from spotcheck.imports.services import import_file

SHOWN_REJECTIONS = 50


class Command(BaseCommand):
    help = "Import a directory file: spotcheck import entities|inspectors|items FILE"

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=ImportKind.values)
        parser.add_argument("file", type=Path)
        parser.add_argument("--department", help="department code the rows belong to")
        parser.add_argument("--errors", type=Path, help="write rejected rows to this XLSX")

    def handle(self, *args, kind, file, department, errors, **options):
        if not file.exists():
            raise CommandError(f"文件不存在: {file}")
        dept = None
        if department:
            dept = Department.objects.filter(code=department).first()
            if dept is None:
                raise CommandError(f"部门代码不存在: {department}")
        bar = _TerminalBar(sys.stderr)
        try:
            outcome = import_file(
                kind=kind, path=file, department=dept, progress=bar.update, reason="命令行导入"
            )
        except FileLevelError as error:
            raise CommandError(f"无法导入，未导入任何数据：{error}") from error
        bar.finish()
        reported = outcome.report_rows()
        for rejection in reported[:SHOWN_REJECTIONS]:
            column = f"{rejection.column}列（{rejection.header}）" if rejection.column else ""
            self.stdout.write(f"第 {rejection.row} 行 {column}: {rejection.reason}")
        if len(reported) > SHOWN_REJECTIONS:
            self.stdout.write(f"… 另有 {len(reported) - SHOWN_REJECTIONS} 行被拒绝或未应用")
        if errors and reported:
            write_rejections_report(reported, errors)
            self.stdout.write(f"rejected rows written to {errors}")
        self.stdout.write(f"unchanged {outcome.unchanged}")
        self.stdout.write(outcome.summary_line())


class _TerminalBar:
    """A progress bar on stderr: redrawn in place at most ten times a second on a terminal,
    one line per tenth of the file in a log."""

    def __init__(self, stream):
        self.stream = stream
        self.last = 0.0
        self.interactive = stream.isatty()
        self.last_tenth = -1

    def update(self, fraction: float, rows: int) -> None:
        now = time.monotonic()
        if self.interactive and now - self.last < 0.1:
            return
        if not self.interactive and int(fraction * 10) == self.last_tenth:
            return
        self.last, self.last_tenth = now, int(fraction * 10)
        filled = int(fraction * 30)
        line = f"[{'#' * filled}{'.' * (30 - filled)}] {fraction:4.0%} {rows} rows"
        self.stream.write(("\r" + line) if self.interactive else line + "\n")
        self.stream.flush()

    def finish(self) -> None:
        if self.interactive:
            self.stream.write("\n")
