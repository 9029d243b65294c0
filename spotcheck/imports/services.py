"""Import a directory file all-or-nothing: validate every row, upsert the valid ones in
chunks inside one transaction, report every rejected row with its row and column.

Entities (million-row files) go column-wise: the file becomes one polars DataFrame
(``reading.frames``), is validated with expressions (``validators.entity_frame``, held to the
row validator by a property test) and written by set-wise SQL (``writers.entities``).
Inspectors and check items go row by row."""

import hashlib
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

import polars as pl
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from spotcheck.accounts.department_names import DepartmentNames
from spotcheck.accounts.models import Department, DepartmentAlias
from spotcheck.audit.event_types import AuditEventType
from spotcheck.audit.services import audit_event_record
from spotcheck.directory.models import Inspector
from spotcheck.directory.ownership import is_registration_authority, registration_authority_name

from .bulk import db_datetime
from .continuations import join_continuations
from .limits import guard_upload
from .models import ImportKind
from .reading import RowStream, SourceRow, read_rows
from .reading.frames import load_table
from .rejections import Rejection, RowError, RowNotApplied
from .validators.entity_frame import ROW, refuse_duplicates, validate_entity_frame
from .validators.inspectors import validate_inspector_row
from .validators.items import validate_item_row
from .validators.joint_items import validate_joint_item_row
from .writers.entities import (
    assign_new_ids,
    directory_is_empty,
    drop_staging,
    import_session,
    mark_known,
    prepare_chunk,
    write_entity_chunk,
)
from .writers.small import write_inspector_rows, write_item_rows, write_joint_item_rows

CHUNK_SIZE = 50_000
VALIDATE_ROWS = 200_000
Progress = Callable[[float, int], None]


@dataclass
class ImportOutcome:
    imported: int = 0
    updated: int = 0
    unchanged: int = 0
    rows_read: int = 0
    rejections: list[Rejection] = field(default_factory=list)
    # Valid rows the importing department may not apply (another department's entity, a link
    # to another department, a change to the shared record): counted apart from "unchanged".
    refusals: list[Rejection] = field(default_factory=list)
    # cells of kept rows that could not be read and were left out
    warnings: list[Rejection] = field(default_factory=list)
    # department name -> {"imported": n, "updated": n, "unchanged": n} (check-item lists)
    per_department: dict[str, dict[str, int]] = field(default_factory=dict)
    dry_run: bool = False

    @property
    def rejected(self) -> int:
        return len(self.rejections)

    @property
    def not_applied(self) -> int:
        return len(self.refusals)

    @property
    def warned_rows(self) -> int:
        return len({warning.row for warning in self.warnings})

    def warnings_line(self) -> str:
        return f"kept with warnings {self.warned_rows} rows ({len(self.warnings)} warnings)"

    def summary_line(self) -> str:
        line = f"imported {self.imported}, updated {self.updated}, rejected {self.rejected}"
        return line + (f", not applied {self.not_applied}" if self.not_applied else "")

    def report_rows(self) -> list[Rejection]:
        """Rejected and not-applied rows in file order, for the report."""
        return sorted([*self.rejections, *self.refusals], key=lambda r: r.row)


def department_lookup() -> DepartmentNames:
    """Codes, names and the office's aliases resolve, and so do other levels' names of the
    same department (省卫健委 → 东城区卫生健康委员会), since spreadsheets use any of them."""
    names: list[tuple[int, str]] = []
    for pk, code, name in Department.objects.values_list("pk", "code", "name"):
        names += [(pk, code), (pk, name)]
    names += DepartmentAlias.objects.values_list("department_id", "alias")
    return DepartmentNames(names)


def _chunks(stream: Iterator[SourceRow]) -> Iterator[list[SourceRow]]:
    while chunk := list(islice(stream, CHUNK_SIZE)):
        yield chunk


def _rejection(stream: RowStream, row: SourceRow, error: RowError) -> Rejection:
    return Rejection(
        row=row.number,
        column=stream.column_letters.get(error.field, ""),
        header=stream.labels.get(error.field, ""),
        value=row.values.get(error.field, ""),
        reason=error.reason,
    )


def import_file(
    *,
    kind: str,
    path: Path,
    department: Department | None = None,
    actor=None,
    progress: Progress | None = None,
    reason: str = "",
    dry_run: bool = False,
) -> ImportOutcome:
    """Raises FileLevelError (Chinese message) when the file as a whole cannot be read.

    ``dry_run`` does everything, counts included, inside a transaction rolled back at the end:
    the preview tells exactly what applying the file would do."""
    guard_upload(path)
    with transaction.atomic():
        outcome = _import_file(kind, path, department, actor, progress, reason)
        outcome.dry_run = dry_run
        if dry_run:
            transaction.set_rollback(True)
    return outcome


def _import_file(kind, path, department, actor, progress, reason) -> ImportOutcome:
    departments = department_lookup()
    forced = department.pk if department else None
    actor_id = actor.pk if actor is not None and actor.is_authenticated else None
    if kind == ImportKind.ENTITIES:
        return _import_entities(path, department, forced, departments, actor, actor_id,
                                progress, reason)  # fmt: skip
    stream = read_rows(path, kind)
    validate, write, identity = _pipeline(kind, departments, forced, actor)
    if kind == ImportKind.INSPECTORS and _acts_for_one_department(department, actor):
        validate = _refusing_others_inspectors(validate, department)
    outcome = ImportOutcome()
    seen: dict = {}
    rows = join_continuations(stream) if kind == ImportKind.ITEMS else stream
    names = dict(Department.objects.values_list("pk", "name"))
    # inside import_file's transaction: all rows or none
    for chunk in _chunks(rows):
        valid = []
        for row in chunk:
            try:
                validated = validate(row.values)
                _refuse_duplicate(seen, identity(validated), row.number)
            except RowNotApplied as error:
                outcome.refusals.append(_rejection(stream, row, error))
                continue
            except RowError as error:
                outcome.rejections.append(_rejection(stream, row, error))
                continue
            outcome.warnings += [_rejection(stream, row, w) for w in validated.warnings]
            valid.append(validated)
        for department_id, group in _by_department(kind, valid):
            counts = write(group)
            outcome.imported += counts.created
            outcome.updated += counts.updated
            outcome.unchanged += counts.unchanged
            if department_id is not None:
                per = outcome.per_department.setdefault(
                    names[department_id], {"imported": 0, "updated": 0, "unchanged": 0}
                )
                per["imported"] += counts.created
                per["updated"] += counts.updated
                per["unchanged"] += counts.unchanged
        outcome.rows_read += len(chunk)
        if progress:
            progress(stream.fraction_read, outcome.rows_read)
    _audit_import(kind, path, outcome, actor, department)
    return outcome


def _audit_import(kind, path, outcome: ImportOutcome, actor, department) -> None:
    audit_event_record(
        event_type=AuditEventType.IMPORT_COMPLETED,
        actor=actor,
        department=department,
        target_type="import",
        target_id=Path(path).name,
        extra={
            "kind": kind,
            "sha256": _sha256(path),
            "imported": outcome.imported,
            "updated": outcome.updated,
            "unchanged": outcome.unchanged,
            "rejected": outcome.rejected,
            "not_applied": outcome.not_applied,
            "warnings": len(outcome.warnings),
        },
    )


def _import_entities(path, department, forced, departments, actor, actor_id, progress, reason):
    """The entity import, column-wise: the whole file is read into one DataFrame, then checked a
    slice (VALIDATE_ROWS) at a time with polars expressions in a thread, while the valid rows of
    the slice before are written CHUNK_SIZE at a time by set-wise SQL."""
    reading = (lambda fraction: progress(fraction * 0.2, 0)) if progress else None
    table = load_table(path, ImportKind.ENTITIES, reading)
    frame = table.frame
    outcome = ImportOutcome(rows_read=frame.height)
    sieve = _Sieve(forced, import_is_restricted(department, actor))
    slices = range(0, max(frame.height, 1), VALIDATE_ROWS)  # the expressions' columns stay small
    # The first slice is checked before the transaction: its share of valid rows estimates the
    # file's, which decides a bulk load (a big file of bad rows drops no index).
    checked = validate_entity_frame(frame.slice(0, VALIDATE_ROWS), departments, forced)
    share = checked[0].height / max(min(frame.height, VALIDATE_ROWS), 1)
    now = db_datetime(timezone.now())  # one import, one time on every row it writes
    with (
        transaction.atomic(),
        import_session(round(frame.height * share)),
        ThreadPoolExecutor(2) as ahead,  # one checks the next slice, one readies the next chunk
    ):
        empty = directory_is_empty()  # a first load looks up no key
        for start in slices:
            nxt = frame.slice(start + VALIDATE_ROWS, VALIDATE_ROWS)
            checking = (
                ahead.submit(validate_entity_frame, nxt, departments, forced)
                if nxt.height
                else None
            )
            valid = assign_new_ids(mark_known(sieve.keep(*checked), empty))
            for counts in _write_valid(ahead, valid, now, actor_id, reason, sieve):
                outcome.imported += counts.created
                outcome.updated += counts.updated
                outcome.unchanged += counts.unchanged
                outcome.refusals += _stored_row_refusals(table, counts.refused)
            if progress:
                written = min(start + VALIDATE_ROWS, frame.height)
                progress(0.2 + 0.8 * written / max(frame.height, 1), written)
            if checking is not None:
                checked = checking.result()
        drop_staging()
        outcome.rejections = _rejections(table, frame, sieve.rejected())
        if sieve.restricted:
            outcome.refusals += _foreign_link_refusals(table, frame, sieve.foreign(), department)
            outcome.refusals.sort(key=lambda refusal: refusal.row)
        outcome.warnings = _rejections(table, frame, sieve.warned())
        _audit_import(ImportKind.ENTITIES, path, outcome, actor, department)
    if progress:
        progress(1.0, outcome.rows_read)
    return outcome


class _Sieve:
    """The valid rows of each checked slice that the import writes: repeats of an earlier row's
    key (in this slice or an earlier one) rejected, and in a restricted import the rows linking
    other departments set apart; the rejections and kept rows' warnings gathered for the report."""

    def __init__(self, forced: int | None, restricted: bool) -> None:
        self.forced, self.restricted = forced, restricted
        self.seen = pl.DataFrame(schema={"key": pl.String, "_first": pl.Int64})
        self.errors: list[pl.DataFrame] = []
        self.warnings: list[pl.DataFrame] = []
        self.foreigners: list[pl.DataFrame] = []

    def keep(self, valid: pl.DataFrame, errors: pl.DataFrame, warnings: pl.DataFrame):
        valid, duplicates = refuse_duplicates(valid, earlier=self.seen)
        self.seen = pl.concat([self.seen, valid.select("key", pl.col(ROW).alias("_first"))])
        self.errors += [errors, duplicates]
        if self.restricted:
            valid, foreign = _split_foreign_links(valid, self.forced)
            self.foreigners.append(foreign)
        self.warnings.append(
            warnings.join(valid.select(ROW), on=ROW, how="semi", maintain_order="left")
        )
        return valid

    def rejected(self) -> pl.DataFrame:
        return pl.concat(self.errors).sort(ROW, maintain_order=True)

    def warned(self) -> pl.DataFrame:
        return pl.concat(self.warnings)

    def foreign(self) -> pl.DataFrame:
        return pl.concat(self.foreigners)


def _write_valid(ahead: ThreadPoolExecutor, valid: pl.DataFrame, now, actor_id, reason, sieve):
    """Write ``valid`` CHUNK_SIZE rows at a time, each chunk's new rows made ready in the thread
    while the database writes the chunk before; yields each chunk's counts."""
    postgres = connection.vendor == "postgresql"
    starts = range(0, valid.height, CHUNK_SIZE)
    ready = [ahead.submit(_ready, valid.slice(s, CHUNK_SIZE), now, postgres) for s in starts[:1]]
    for index in range(len(starts)):
        chunk, new = ready.pop().result()
        if index + 1 < len(starts):
            nxt = valid.slice(starts[index + 1], CHUNK_SIZE)
            ready.append(ahead.submit(_ready, nxt, now, postgres))
        yield write_entity_chunk(
            chunk,
            actor_id=actor_id,
            reason=reason,
            department_id=sieve.forced,
            restricted=sieve.restricted,
            now=now,
            new=new,
        )


def _ready(chunk: pl.DataFrame, now, postgres: bool):
    return chunk, prepare_chunk(chunk, now, postgres)


def _acts_for_one_department(department: Department | None, actor) -> bool:
    """An import for a department, not made by the office (which may import for all)."""
    if department is None:
        return False
    return not (actor is not None and actor.is_authenticated and actor.is_office)


def import_is_restricted(department: Department | None, actor) -> bool:
    """A department's own entity import (not the registration authority's, not made by the
    office) may only create entities and link them to itself; see `directory.ownership`."""
    return _acts_for_one_department(department, actor) and not is_registration_authority(department)


def _refusing_others_inspectors(validate, department: Department):
    """A department's inspector import leaves other departments' inspectors alone: a row with
    another department's certificate number would otherwise move that inspector over."""

    def checked(values):
        row = validate(values)
        others = Inspector.objects.filter(certificate_number=row.certificate_number).exclude(
            department=department
        )
        if others.exists():
            raise RowNotApplied(
                "certificate_number",
                _("该执法证号属于其他部门的执法检查人员：部门导入不能修改，本行未导入"),
            )
        return row

    return checked


def _split_foreign_links(valid: pl.DataFrame, forced: int) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Rows whose 监管部门 names any department but the importer's, apart from the others."""
    ids = pl.col("departments").str.json_decode(pl.List(pl.Int64))
    foreign = ids.list.eval(pl.element() != forced).list.any().fill_null(False)
    marked = valid.with_columns(foreign.alias("_foreign"))
    keep = marked.filter(~pl.col("_foreign")).drop("_foreign")
    return keep, marked.filter(pl.col("_foreign")).select(ROW)


def _refusal(table, row: int, field_name: str, value: str, reason: str) -> Rejection:
    stream = table.stream
    return Rejection(
        row=row,
        column=stream.column_letters.get(field_name, ""),
        header=stream.labels.get(field_name, ""),
        value=value,
        reason=reason,
    )


def _foreign_link_refusals(table, frame, foreign: pl.DataFrame, department) -> list[Rejection]:
    reason = _(
        "监管部门只能是本部门（%(department)s）：部门导入不能为其他部门建立监管关系，"
        "本行未导入；如需调整请联系联席会议办公室"
    ) % {"department": department.name}
    if not foreign.height:  # always so when the file has no 监管部门 column
        return []
    cells = foreign.join(frame.select(ROW, "departments"), on=ROW, how="left")
    return [
        _refusal(table, row, "departments", text or "", reason)
        for row, text in cells.select(ROW, "departments").iter_rows()
    ]


def _stored_row_refusals(table, refused: list[tuple[int, str, bool]]) -> list[Rejection]:
    """Stored entities a restricted import left alone: another department's, or a change to the
    shared record, which only its owners make."""
    key_field = "uscc" if "uscc" in table.fields else "registration_number"
    not_ours = _(
        "该检查对象已在名录库中，不在本部门监管范围：部门导入不能关联或修改，本行未导入；"
        "如需监管请联系联席会议办公室"
    )
    shared = _(
        "检查对象的登记信息、信用风险分类和经营异常标记由%(owner)s和联席会议办公室维护："
        "部门导入不能修改，本行未导入"
    ) % {"owner": registration_authority_name()}
    return [
        _refusal(table, row, key_field, key, shared if linked else not_ours)
        for row, key, linked in refused
    ]


def _rejections(table, frame, found: pl.DataFrame) -> list[Rejection]:
    """Flagged cells (rejections or warnings, in row order) with the column letter, header
    and cell as the user sees them."""
    if not found.height:
        return []
    stream = table.stream
    cells = found.join(frame, on=ROW, how="left", maintain_order="left")
    rejections = []
    for row in cells.iter_rows(named=True):
        field_name = row["field"]
        rejections.append(
            Rejection(
                row=row[ROW],
                column=stream.column_letters.get(field_name, ""),
                header=stream.labels.get(field_name, ""),
                value=(row.get(field_name) or "") if field_name in table.fields else "",
                reason=row["reason"],
            )
        )
    return rejections


def _by_department(kind: str, valid: list) -> list[tuple[int | None, list]]:
    """Check items are written and counted per department, for the per-department preview."""
    if not valid:
        return []
    if kind != ImportKind.ITEMS:
        return [(None, valid)]
    groups: dict[int, list] = {}
    for row in valid:
        groups.setdefault(row.department_id, []).append(row)
    return list(groups.items())


def _refuse_duplicate(seen: dict, identity, row_number: int) -> None:
    first = seen.setdefault(identity, row_number)
    if first != row_number:
        raise RowError("", f"与第 {first} 行重复（同一文件中出现两次），本行未导入")


def _pipeline(kind, departments, forced, actor):
    """Inspectors and items, row by row (entities go column-wise, see `_import_entities`)."""
    if kind == ImportKind.INSPECTORS:
        return (
            lambda values: validate_inspector_row(values, departments, forced),
            lambda rows: write_inspector_rows(rows, actor=actor),
            lambda row: row.certificate_number,
        )
    if kind == ImportKind.ITEMS:
        return (
            lambda values: validate_item_row(values, departments, forced),
            lambda rows: write_item_rows(rows, actor=actor),
            lambda row: (
                row.department_id,
                row.code or (row.values["category"], row.values["name"]),
            ),
        )
    if kind == ImportKind.JOINT_ITEMS:
        return (
            lambda values: validate_joint_item_row(values, departments),
            lambda rows: write_joint_item_rows(rows, actor=actor),
            lambda row: (row.values.field_name, row.values.name),
        )
    raise ValueError(f"unknown import kind {kind!r}")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()
