"""Load the demo district: departments, personas, 100,000 entities, 600 inspectors, 300 items."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from itertools import islice
from random import Random

from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice
from simple_history.utils import bulk_create_with_history

from spotcheck.accounts.models import Department, Role, User
from spotcheck.audit.event_types import AuditEventType
from spotcheck.audit.services import audit_event_record
from spotcheck.directory.models import Inspector, InspectorConflict, InspectorStatus, MarketEntity
from spotcheck.firms.models import FirmAccount
from spotcheck.imports.validators.entities import EntityRow
from spotcheck.imports.writers.entities import write_entity_chunk
from spotcheck.items.models import CheckItem, JointItem
from spotcheck.items.services import item_create
from spotcheck.plans.services import (
    joint_check_create,
    joint_check_decide,
    joint_check_submit,
)
from spotcheck.publication.models import PublicRecord
from spotcheck.stats.services import assessment_compute

from .departments import DEPARTMENTS, DISTRICT_CODE
from .entities import demo_entities
from .items import ITEMS, legal_basis
from .joint_tasks import catering_task
from .past_year import load_past_year

DEMO_PASSWORD = "spotcheck-demo-2026"
# The demo office admin's authenticator secret (hex), printed by `spotcheck demo load` in base32
# so anyone trying the demo can add it to an authenticator app. Never use a known key elsewhere.
DEMO_OFFICE_TOTP_KEY = "73706f74636865636b2d64656d6f2d32303236"
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红鹏辉建国文斌宁晨阳"


@dataclass(frozen=True)
class Persona:
    username: str
    full_name: str
    role: str
    department_code: str
    what: str


PERSONAS = [
    Persona(
        "office_admin_wang", "王主任", Role.OFFICE_ADMIN, "SCJGJ", "联席会议办公室：看全部部门"
    ),
    Persona("liaison_zhao", "赵联络员", Role.DEPARTMENT_ADMIN, "SCJGJ", "市场监管局联络员"),
    Persona("liaison_sun", "孙联络员", Role.DEPARTMENT_ADMIN, "WJW", "卫健委联络员"),
    Persona("reviewer_li", "李科长", Role.REVIEWER, "SCJGJ", "市场监管局审核人"),
    # Each department of the ready joint check reviews its own results (审核人).
    Persona("reviewer_zhou", "周科长", Role.REVIEWER, "WJW", "卫健委审核人"),
    Persona("reviewer_wu", "吴科长", Role.REVIEWER, "XFJY", "消防救援支队审核人"),
    Persona("reviewer_zheng", "郑科长", Role.REVIEWER, "CGW", "城市管理委审核人"),
    Persona("reviewer_feng", "冯科长", Role.REVIEWER, "STHJJ", "生态环境分局审核人"),
    Persona("inspector_zhang", "张执法", Role.INSPECTOR, "SCJGJ", "市场监管局执法检查人员"),
    Persona("inspector_chen", "陈执法", Role.INSPECTOR, "WJW", "卫健委执法检查人员"),
]

# A firm's account, bound to a firm checked last year with a problem found (so its page shows a
# published negative record and the credit repair request), as if opened with code and PIN.
FIRM_PERSONA = Persona(
    "firm_qiye", "", Role.FIRM, "", "企业账号：本企业的检查、公示结果、评价和信用修复"
)


def demo_is_loaded() -> bool:
    return User.objects.filter(username=PERSONAS[0].username).exists()


@transaction.atomic
def demo_load(*, entities: int = 100_000, seed: int = 2026, progress=None) -> list[Persona]:
    """Everything in one transaction: a half-loaded demo is never left behind."""
    rng = Random(seed)
    departments = _departments()
    _personas(departments)
    _entities(departments, entities, seed, progress)
    inspectors = _inspectors(departments, rng)
    _link_persona_inspectors(inspectors)
    _items(departments)
    _joint_items(departments)
    _conflicts(inspectors, rng)
    _catering_joint_check(departments)
    load_past_year(departments)
    _firm_account()
    _past_year_assessments(departments)
    audit_event_record(
        event_type=AuditEventType.DEMO_LOADED,
        target_type="demo",
        target_id=DISTRICT_CODE,
        extra={"entities": entities, "seed": seed},
    )
    return PERSONAS


def _firm_account() -> None:
    record = (
        PublicRecord.objects.filter(categories__problem_found=True)
        .select_related("visit__entity")
        .order_by("record_id")
        .first()
    )
    if record is None:
        return
    user = User.objects.create_user(
        username=FIRM_PERSONA.username,
        password=DEMO_PASSWORD,
        full_name=record.visit.entity.name[:50],
        role=Role.FIRM,
    )
    FirmAccount.objects.create(user=user, entity=record.visit.entity, bound_by_visit=record.visit)


def _past_year_assessments(departments) -> None:
    """The past year's assessment (考评) of every department, scored from the demo data at load
    and stored, each data score with the records behind it."""
    office = User.objects.get(username="office_admin_wang")
    year = date.today().year - 1
    for department in departments.values():
        assessment_compute(actor=office, department=department, year=year)


def _departments() -> dict[str, Department]:
    Department.objects.bulk_create(
        [
            Department(
                code=code,
                name=name,
                region_code=DISTRICT_CODE,
                contact_name="联络员",
                contact_phone=f"010-6{number:03d}{number * 37 % 10000:04d}",
                address="北京市东城区",
            )
            for number, (code, name, *_) in enumerate(DEPARTMENTS, start=1)
        ]
    )
    return {d.code: d for d in Department.objects.all()}


def _personas(departments) -> None:
    for persona in PERSONAS:
        User.objects.create_user(
            username=persona.username,
            password=DEMO_PASSWORD,
            full_name=persona.full_name,
            role=persona.role,
            department=departments[persona.department_code],
        )
    office = User.objects.get(username=PERSONAS[0].username)
    TOTPDevice.objects.create(user=office, name="demo", key=DEMO_OFFICE_TOTP_KEY, confirmed=True)


def _entities(departments, count: int, seed: int, progress) -> None:
    supervisors = {
        section: [
            departments[code].pk for code, _, _, _, sections in DEPARTMENTS if section in sections
        ]
        for section in "ABCDEFGHIJKLMNOPQRST"
    }
    rows = (
        EntityRow(values["uscc"], values, supervisors[values.pop("section")])
        for values in demo_entities(count, seed)
    )
    done = 0
    while chunk := list(islice(rows, 5000)):
        write_entity_chunk(chunk, actor_id=None, reason="演示数据", department_id=None)
        done += len(chunk)
        if progress:
            progress(done, count)


def _person_name(rng: Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, rng.choice((1, 2))))


def _inspectors(departments, rng: Random) -> list[Inspector]:
    today = date.today()
    inspectors = []
    for code, _, share, fields, _ in DEPARTMENTS:
        for number in range(1, share + 1):
            status = rng.choices(
                [InspectorStatus.ACTIVE, InspectorStatus.ON_LEAVE, InspectorStatus.LEFT], [90, 5, 5]
            )[0]
            inspectors.append(
                Inspector(
                    department=departments[code],
                    name=_person_name(rng),
                    certificate_number=f"{DISTRICT_CODE}{code}{number:04d}",
                    # About one in twenty certificates has lapsed and must not be drawn.
                    certificate_expiry=today + timedelta(days=rng.randint(-200, 1500)),
                    expertise=sorted(rng.sample(fields, min(len(fields), rng.randint(1, 3)))),
                    region_code=DISTRICT_CODE,
                    status=status,
                    # visits per batch: about two a working day over a month-long batch
                    capacity_per_batch=rng.choice((30, 40, 40, 50)),
                )
            )
    return bulk_create_with_history(inspectors, Inspector, default_change_reason="演示数据")


def _catering_field(code: str) -> str:
    """The expertise the department's item in the ready joint check asks for."""
    item_name = next(name for c, name, _ in CATERING if c == code)
    category = next(cat for cat, _, names in ITEMS[code] if item_name in names)
    return _expertise_for(code, category)


def _link_persona_inspectors(inspectors) -> None:
    """Each inspector persona is qualified for the ready joint check, so the README's journey
    gives them a visit once it is drawn."""
    for persona in PERSONAS:
        if persona.role != Role.INSPECTOR:
            continue
        user = User.objects.get(username=persona.username)
        field = _catering_field(persona.department_code)
        inspector = next(
            i
            for i in Inspector.objects.filter(
                department=user.department,
                status=InspectorStatus.ACTIVE,
                user=None,
                certificate_expiry__gt=date.today() + timedelta(days=365),
            ).order_by("pk")
            if field in i.expertise
        )
        inspector.user = user
        inspector.name = persona.full_name
        inspector.save()


def _items(departments) -> None:
    for code, categories in ITEMS.items():
        department = departments[code]
        number = 0
        for category, kind, names in categories:
            for name in names:
                number += 1
                item_create(
                    actor=None,
                    department=department,
                    code=f"{code}-{number:03d}",
                    values={
                        "category": category,
                        "name": name,
                        "inspection_object": "辖区内相关市场主体",
                        "legal_basis": legal_basis(code, category, name),
                        "inspecting_body": department.name,
                        "content": f"{name}的相关内容",
                        "methods": ["on_site"] if kind == "key" else ["on_site", "written"],
                        "kind": kind,
                        "ratio_cap": None if kind == "key" else Decimal("0.05"),
                        "frequency": "每年不少于1次" if kind == "key" else "每年1次",
                        "level": "区级",
                        "expertise": _expertise_for(code, category),
                    },
                )


def _expertise_for(code: str, category: str) -> str:
    """The department's field of expertise the category names, e.g. 食品安全监督检查 → 食品安全."""
    fields = next(f for c, _, _, f, _ in DEPARTMENTS if c == code)
    return next((f for f in fields if f[:2] in category), "")


JOINT = [
    ("JOINT-001", "餐饮服务单位联合检查", "SCJGJ", ["SCJGJ", "WJW", "XFJY", "CGW", "STHJJ"]),
    ("JOINT-002", "住宿业联合检查", "GAFJ", ["GAFJ", "WJW", "XFJY", "SCJGJ", "WHLYJ"]),
    ("JOINT-003", "校外培训机构联合检查", "JW", ["JW", "SCJGJ", "XFJY", "WJW"]),
    ("JOINT-004", "工贸企业安全生产与环保联合检查", "YJGLJ", ["YJGLJ", "STHJJ", "XFJY", "SCJGJ"]),
    ("JOINT-005", "文化娱乐场所联合检查", "WHLYJ", ["WHLYJ", "GAFJ", "XFJY", "WJW"]),
]


def _joint_items(departments) -> None:
    for code, name, lead, members in JOINT:
        joint = JointItem.objects.create(
            code=code,
            name=name,
            lead_department=departments[lead],
            inspection_object="辖区内相关市场主体",
        )
        joint.departments.set([departments[m] for m in members])
        first_items = [
            CheckItem.objects.filter(department=departments[m]).order_by("code").first()
            for m in members
        ]
        joint.items.set(first_items)


def _conflicts(inspectors, rng: Random) -> None:
    entities = list(MarketEntity.objects.order_by("key").values_list("pk", flat=True)[:2000])
    reasons = ["近亲属在该单位任职", "曾在该单位任职未满三年", "与该单位存在经济往来"]
    conflicts = [
        InspectorConflict(inspector=i, entity_id=rng.choice(entities), reason=rng.choice(reasons))
        for i in rng.sample(inspectors, 40)
    ]
    InspectorConflict.objects.bulk_create(conflicts, ignore_conflicts=True)


# The demo's ready-to-draw joint check: five departments, catering firms (GB/T 4754 62),
# probabilities by credit-risk class (A low … D high).
CATERING = [
    ("SCJGJ", "餐饮服务提供者监督检查", {"A": "0.02", "B": "0.05", "C": "0.3", "D": "0.8"}),
    ("WJW", "餐饮场所控烟检查", {"A": "0.02", "B": "0.04", "C": "0.15", "D": "0.3"}),
    ("XFJY", "餐饮场所燃气消防检查", {"A": "0.02", "B": "0.05", "C": "0.3", "D": "1"}),
    ("CGW", "燃气用户安全检查", {"A": "0.02", "B": "0.04", "C": "0.15", "D": "0.3"}),
    ("STHJJ", "餐饮油烟排放检查", {"A": "0.02", "B": "0.04", "C": "0.2", "D": "0.5"}),
]


def _catering_joint_check(departments) -> None:
    lead = User.objects.get(username="liaison_zhao")
    office = User.objects.get(username="office_admin_wang")
    start = date.today() + timedelta(days=14)
    end = start + timedelta(days=30)
    joint = joint_check_create(
        actor=lead,
        name="餐饮服务单位联合抽查",
        partners=[departments[code] for code, _, _ in CATERING[1:]],
        planned_start=start,
        planned_end=end,
    )
    for code, item_name, probabilities in CATERING:
        department = departments[code]
        catering_task(
            actor=office,
            department=department,
            item_name=item_name,
            probabilities=probabilities,
            start=start,
            end=end,
            name=f"餐饮服务单位联合抽查（{department.name}）",
            joint=joint,
        )
    joint_check_submit(actor=lead, joint=joint)
    joint_check_decide(actor=office, joint=joint, approve=True)
