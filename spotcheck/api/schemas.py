from datetime import date, datetime
from typing import Literal

from ninja import Schema
from pydantic import Field, create_model

from .types import DesignValue, Id, Text


class ErrorOut(Schema):
    """The one shape of every 4xx answer: a machine code and the messages to show (Chinese)."""

    code: str
    messages: list[str]


# 400: a body that is not JSON, or a NUL byte (RejectNulBytesMiddleware); 401: no valid token;
# 403: the role may not; 404: missing or another department's; 422: outside the schema or the rules.
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


STRATUM = Literal["A", "B", "C", "D", "*"]
ShortCode = Text(40)


class PopulationFilterIn(Schema):
    """Which entities a task may draw; every key optional (see plans/population.py)."""

    entity_types: list[ShortCode] = Field(default=[], max_length=50)
    industry_prefixes: list[Text(5)] = Field(default=[], max_length=200)
    region_codes: list[Text(12)] = Field(default=[], max_length=500)
    statuses: list[ShortCode] = Field(default=[], max_length=20)
    tags: list[Text(50)] = Field(default=[], max_length=100)
    credit_classes: list[Literal["A", "B", "C", "D"]] = Field(default=[], max_length=4)
    abnormal: bool | None = None
    supervised_only: bool = True
    entity_keys: list[Text(18)] = Field(default=[], max_length=10_000)


class EntityOut(Schema):
    key: str
    uscc: str
    registration_number: str
    name: str
    entity_type: str
    industry_code: str
    region_code: str
    address: str
    status: str
    abnormal_listed: bool


class TaskIn(Schema):
    name: Text(200, min_length=1)
    item_version_ids: list[Id] = Field(max_length=500)
    directed: bool = False
    population_filter: PopulationFilterIn = PopulationFilterIn()
    design_mode: Text(20)
    # per credit class: a count (integer) or a ratio/probability (decimal, e.g. "0.05")
    design_values: dict[STRATUM, DesignValue]
    design_n: int | None = Field(default=None, ge=0, le=10_000_000)
    planned_start: date
    planned_end: date
    joint_check_id: Id | None = None


class TaskOut(Schema):
    id: int
    number: str
    name: str
    department: str
    status: str
    design_mode: str
    design_values: dict
    joint_check_id: int | None


class JointCheckOut(Schema):
    id: int
    number: str
    name: str
    lead_department: str
    partners: list[str]
    status: str
    task_ids: list[int]


class BatchIn(Schema):
    name: Text(200, min_length=1)
    joint_check_id: Id | None = None
    task_ids: list[Id] = Field(default=[], max_length=500)
    randomness_source: Text(300, min_length=1)
    randomness_due: datetime


class DrawIn(Schema):
    randomness: Text(200, min_length=1)
    witnesses: Text(300) = ""


class StratumCountOut(Schema):
    task: str
    stratum: str
    population: int
    sample: int


class BatchOut(Schema):
    id: int
    number: str
    name: str
    status: str
    population_root: str
    design_hash: str
    randomness_source: str
    randomness_due: datetime
    randomness_value: str
    seed: str
    visits: int
    selections: int
    visits_saved: int
    counts: list[StratumCountOut]
    failure: str


class TeamMemberOut(Schema):
    inspector_id: int
    name: str
    department: str
    serving: bool


class VisitOut(Schema):
    id: int
    visit_id: str
    entity_key: str
    entity_name: str
    ticket: str
    planned_date: date
    departments: list[str]
    task_numbers: list[str]
    team: list[TeamMemberOut]


def cursor_page(item: type[Schema]) -> type[Schema]:
    """The page schema of a keyset-paginated list of `item` (named e.g. InspectorOutPage): pass
    next_cursor as ?cursor= for the next page; null on the last."""
    return create_model(
        f"{item.__name__}Page",
        __base__=Schema,
        items=(list[item], ...),
        next_cursor=(int | None, ...),
    )
