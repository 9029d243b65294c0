from datetime import date, datetime

from ninja import Schema


class ErrorOut(Schema):
    code: str
    messages: list[str]


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
    name: str
    item_version_ids: list[int]
    directed: bool = False
    population_filter: dict = {}
    design_mode: str
    design_values: dict
    design_n: int | None = None
    planned_start: date
    planned_end: date
    joint_check_id: int | None = None


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
    name: str
    joint_check_id: int | None = None
    task_ids: list[int] = []
    randomness_source: str
    randomness_due: datetime


class DrawIn(Schema):
    randomness: str
    witnesses: str = ""


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
