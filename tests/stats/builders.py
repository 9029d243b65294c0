"""A year of checks written straight into the tables (the services are tested elsewhere): the
dashboards only read, so the tests build exactly the rows whose counts they assert."""

from datetime import date, datetime, timedelta
from itertools import count
from zoneinfo import ZoneInfo

from spotcheck.draws.models import BatchStatus, DrawBatch, Visit, VisitInspector
from spotcheck.inspections.models import (
    FieldVisit,
    FollowUp,
    ItemResult,
    ResultCategory,
    ResultStatus,
)
from spotcheck.plans.models import SpotCheckTask, TaskStatus
from spotcheck.publication.models import PublicRecord
from tests.factories import EntityFactory, InspectorFactory, make_item

SHANGHAI = ZoneInfo("Asia/Shanghai")
YEAR = 2026
_numbers = count(1)


class District:
    """One department's drawn task with visits whose state each test chooses."""

    def __init__(self, department, author, *, joint_check=None, year=YEAR):
        self.department = department
        self.author = author
        n = next(_numbers)
        self.item = make_item(department, code=f"S-{n}").current_version
        self.task = SpotCheckTask.objects.create(
            number=f"T{department.code}-{n}",
            name=f"{department.name}抽查任务{n}",
            department=department,
            joint_check=joint_check,
            design_mode="count",
            planned_start=date(year, 3, 1),
            planned_end=date(year, 6, 30),
            status=TaskStatus.DRAWN,
            created_by=author,
        )
        self.batch = DrawBatch.objects.create(
            number=f"B{department.code}-{n}",
            name="批次",
            department=department,
            status=BatchStatus.DRAWN,
            planned_date=date(YEAR, 4, 1),
            randomness_source="掷骰子",
            randomness_due=datetime(YEAR, 3, 20, tzinfo=SHANGHAI),
            created_by=author,
            visits_saved=2,
        )
        self.batch.tasks.add(self.task)
        self.inspector = InspectorFactory(department=department)

    def visit(self, *, entity=None, outcome=None, codes=(), published=None, on_time=True, on=None):
        """A drawn visit; with an outcome its field work is done, with codes its result is
        approved in those categories, with `published` a day its record went public."""
        entity = entity or EntityFactory(departments=[self.department])
        number = next(_numbers)
        visit = Visit.objects.create(
            batch=self.batch,
            visit_id=f"V{number:06d}",
            entity=entity,
            ticket=f"{number:024d}",
            planned_date=on or self.task.planned_start,
        )
        visit.tasks.add(self.task)
        VisitInspector.objects.create(
            visit=visit, inspector=self.inspector, department=self.department, rank=1
        )
        completed = datetime(YEAR, 4, 2, 16, tzinfo=SHANGHAI)
        FieldVisit.objects.create(
            visit=visit,
            outcome=outcome or FieldVisit.Outcome.PENDING,
            completed_at=completed if outcome else None,
        )
        if codes:
            result = ItemResult.objects.create(
                visit=visit,
                task=self.task,
                item=self.item,
                department=self.department,
                status=ResultStatus.APPROVED,
            )
            result.categories.set(ResultCategory.objects.filter(code__in=codes))
            if any(c.problem_found for c in result.categories.all()):
                FollowUp.objects.create(
                    result=result,
                    entity=entity,
                    department=self.department,
                    deadline=date(YEAR, 5, 1),
                )
        if published:
            published = date.fromisoformat(published)
            PublicRecord.objects.create(
                record_id=f"R{number}",
                visit=visit,
                task=self.task,
                department=self.department,
                entity=entity,
                task_number=self.task.number,
                task_name=self.task.name,
                directed=False,
                department_name=self.department.name,
                entity_name=entity.name,
                uscc=entity.uscc,
                completed_on=completed.date(),
                items=[],
                due_on=published,
                published_on=published if on_time else published + timedelta(days=3),
                on_time=on_time,
                published_at=completed,
                published_by=self.author,
            )
        return visit
