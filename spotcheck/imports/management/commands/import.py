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
    help = "Import a file: spotcheck import entities|inspectors|items|joint-items FILE [--dry-run]"

    def add_arguments(self, parser):
        # joint-items or joint_items
        parser.add_argument(
            "kind", choices=ImportKind.values, type=lambda text: text.replace("-", "_")
        )
        parser.add_argument("file", type=Path)
        parser.add_argument("--department", help="department code the rows belong to")
        parser.add_argument(
            "--errors", type=Path, help="write rejected rows and warnings to this XLSX"
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="read and check the whole file, print what would happen, change nothing",
        )

    def handle(self, *args, kind, file, department, errors, dry_run=False, **options):
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
                kind=kind,
                path=file,
                department=dept,
                progress=bar.update,
                reason="命令行导入",
                dry_run=dry_run,
            )
        except FileLevelError as error:
            raise CommandError(f"无法导入，未导入任何数据：{error}") from error
        bar.finish()
        if dry_run:
            self.stdout.write("预览（--dry-run）：未写入任何数据")
        reported = outcome.report_rows()
        self._flagged("已导入但有警告（该单元格未导入，其余内容已导入）：", outcome.warnings)
        self._flagged("被拒绝的行：", outcome.rejections)
        self._flagged("未应用的行（本部门无权修改）：", outcome.refusals)
        if errors and (reported or outcome.warnings):
            write_rejections_report(reported, errors, outcome.warnings)
            self.stdout.write(f"rejected rows and warnings written to {errors}")
        for department, counts in outcome.per_department.items():
            self.stdout.write(f"{department}: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
        self.stdout.write(f"unchanged {outcome.unchanged}")
        self.stdout.write(outcome.warnings_line())
        self.stdout.write(outcome.summary_line())

    def _flagged(self, title: str, flagged) -> None:
        if not flagged:
            return
        self.stdout.write(title)
        for cell in flagged[:SHOWN_REJECTIONS]:
            column = f"{cell.column}列（{cell.header}）" if cell.column else ""
            self.stdout.write(f"第 {cell.row} 行 {column}: {cell.reason}")
        if len(flagged) > SHOWN_REJECTIONS:
            self.stdout.write(f"… 另有 {len(flagged) - SHOWN_REJECTIONS} 处未列出")


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
