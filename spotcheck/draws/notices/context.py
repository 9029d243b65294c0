"""What a notice letter (联合抽查通知书) says about one visit: one dict for the PDF and the DOCX.

Every value is a plain string, list or dict, so an office's own DOCX template can use any of them.
"""

import re
from collections.abc import Callable
from datetime import date
from urllib.parse import urlencode

import segno
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_noop

from spotcheck.directory.models import EntityType
from spotcheck.draws.models import Visit
from spotcheck.draws.publication import format_access_code
from spotcheck.items.models import CheckMethod

JOINT_TITLE = "联合抽查通知书"
SINGLE_TITLE = "随机抽查通知书"
POLICY = "《国务院关于在市场监管领域全面推行部门联合“双随机、一公开”监管的意见》"
UNCOOPERATIVE = "不配合检查情节严重"
EMPTY = "—"
# A reprint carries no PIN: the first letter sent to the firm has it (firms.services).
PIN_ALREADY_SENT = gettext_noop("PIN已随首次送达的通知书发放；如遗失，请联系组织抽查的部门补发")

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

# What to prepare, by keyword in an item's category or name: (keywords, what to have ready).
# Kept general: the item's own legal basis decides the details, the team asks for the rest.
_BY_FIELD: list[tuple[tuple[str, ...], str]] = [
    (
        ("食品", "餐饮"),
        "食品经营许可证（或备案凭证）、从业人员健康证明、进货查验记录和食品安全管理制度",
    ),
    (
        ("卫生", "住宿", "公共场所"),
        "卫生许可证（按规定需要的）、从业人员健康合格证明、卫生管理制度和卫生检测报告",
    ),
    (("药品", "医疗器械", "化妆品"), "相关许可或备案凭证、购进验收和销售记录"),
    (("特种设备",), "特种设备使用登记证、定期检验报告、作业人员资格证书和安全管理记录"),
    (
        ("安全生产", "危险化学品", "消防"),
        "安全生产（消防安全）管理制度、隐患排查治理台账、教育培训记录和特种作业人员证书",
    ),
    (
        ("环境", "环保", "排污", "生态"),
        "排污许可证或排污登记、环境影响评价文件及批复、污染防治设施运行台账和监测报告",
    ),
    (("价格", "收费"), "价格（收费）公示资料和相关账目"),
    (("计量",), "计量器具检定（校准）证书和使用台账"),
    (("广告",), "广告发布内容及其证明材料"),
    (("质量", "产品"), "产品执行标准、检验报告、进货和销售记录"),
    (("劳动", "用工", "社会保险"), "劳动合同、工资支付记录和社会保险缴费记录"),
    (("税",), "账簿、记账凭证和纳税申报资料"),
    (
        ("公示", "年报", "年度报告"),
        "年度报告及即时公示信息所涉事项（如股东出资、行政许可、资产状况）的证明材料",
    ),
]

_BY_METHOD = {
    CheckMethod.ON_SITE: "检查当日请安排熟悉情况的负责人员在场陪同，开放经营场所、库房等相关场所",
    CheckMethod.WRITTEN: "书面检查事项：请按检查部门要求的期限和方式提交书面材料",
    CheckMethod.ONLINE: "网络检查事项：请准备网站、网店或平台经营页面及后台经营数据供查阅",
    CheckMethod.PROFESSIONAL: "专业机构核查事项：请配合专业机构抽样、检测或审计，并提供所需的样品和资料",
}


def _text(value: str | None) -> str:
    """Plain text safe for HTML and WordprocessingML: one kind of newline, no control characters."""
    value = (value or "").replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("", value).strip()


def chinese_date(day: date | None) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if day else ""


def _lead_department(batch):
    joint = batch.joint_check
    return joint.lead_department if joint is not None else batch.department


def _item_rows(visit: Visit, lead) -> list[dict]:
    """Each department's items, lead first, then by department code; an item once per department."""
    by_department: dict[int, dict] = {}
    if "tasks" in getattr(visit, "_prefetched_objects_cache", {}):
        tasks = visit.tasks.all()  # prefetched with departments and items by the caller
    else:
        tasks = visit.tasks.select_related("department").prefetch_related("items")
    for task in sorted(tasks, key=lambda t: t.number):
        department = task.department
        entry = by_department.setdefault(
            department.pk, {"department": department, "tasks": [], "items": {}}
        )
        entry["tasks"].append({"number": task.number, "name": _text(task.name)})
        for version in sorted(task.items.all(), key=lambda v: (v.name, v.pk)):
            entry["items"].setdefault(version.pk, version)
    return sorted(
        by_department.values(),
        key=lambda e: (e["department"].pk != lead.pk, e["department"].code),
    )


def _item(version) -> dict:
    return {
        "name": _text(version.name),
        "category": _text(version.category),
        "legal_basis": _text(version.legal_basis) or EMPTY,
        "content": _text(version.content) or _text(version.name),
        "methods": "、".join(str(label) for label in version.method_labels()) or EMPTY,
        "method_codes": list(version.methods),
        "inspecting_body": _text(version.inspecting_body),
    }


def _to_prepare(versions: list, entity_type: str) -> list[str]:
    licence = "营业执照" if entity_type != EntityType.OTHER else "登记证照"
    lines = [
        f"{licence}正本或副本、法定代表人（负责人、经营者）身份证明；"
        "委托他人配合检查的，另备授权委托书和受托人身份证明",
        "与抽查事项有关的行政许可证件、资质证书或备案凭证",
    ]
    text = " ".join(f"{v.category} {v.name}" for v in versions)
    lines += [need for keywords, need in _BY_FIELD if any(k in text for k in keywords)]
    lines.append("与抽查事项有关的管理制度、台账、记录、合同、票据等原始资料（原件，并备复印件）")
    methods = {m for v in versions for m in v.methods}
    lines += [need for method, need in _BY_METHOD.items() if method in methods]
    return lines


def _consequences(entity_type: str) -> list[str]:
    if entity_type == EntityType.ENTERPRISE:
        cooperate = (
            "根据《企业信息公示暂行条例》，有关部门对企业公示的信息依法开展抽查时，"
            "企业应当配合，接受询问调查，如实反映情况，提供相关材料；对不予配合、情节严重的企业，"
            "将通过国家企业信用信息公示系统向社会公示。"
        )
        listing = (
            "检查中发现通过登记的住所（经营场所）无法联系，或者公示信息隐瞒真实情况、弄虚作假的，"
            "依照《企业信息公示暂行条例》列入经营异常名录。"
        )
    else:
        cooperate = (
            "你单位应当配合检查，接受询问调查，如实反映情况，提供相关材料；"
            "对不予配合、情节严重的，将依照有关规定向社会公示。"
        )
        listing = (
            "检查中发现通过登记的经营场所无法联系，或者公示信息隐瞒真实情况、弄虚作假的，"
            "依照有关规定列入经营异常名录（状态）。"
        )
    return [
        cooperate,
        f"拒绝、阻挠检查，情节严重的，检查结果记为“{UNCOOPERATIVE}”，"
        "与本次抽查的其他结果一并向社会公示，并记入你单位的信用记录。",
        listing,
        "拒绝、阻碍检查人员依法执行职务的，由有关部门依照相关法律、法规处理；"
        "违反治安管理的，由公安机关依法处罚；构成犯罪的，依法追究刑事责任。",
    ]


def proof_link(visit: Visit) -> str:
    """Where the entity sees its own population lines and proofs, with its visit's code."""
    path = reverse("public:draw_proof", args=[visit.batch.number])
    query = urlencode({"code": format_access_code(visit.access_code)})
    return f"{settings.SPOTCHECK_PUBLIC_URL.rstrip('/')}{path}?{query}"


def inspection_link(visit: Visit) -> str:
    """The inspection code's page (亮码检查): the team, and after the visit the firm's rating."""
    path = reverse("firms:visit", args=[format_access_code(visit.access_code)])
    return f"{settings.SPOTCHECK_PUBLIC_URL.rstrip('/')}{path}"


def inspection_qr_svg(visit: Visit) -> str:
    return proof_qr(inspection_link(visit)).svg_data_uri(scale=4, border=2)


def proof_qr(link: str) -> segno.QRCode:
    return segno.make(link, error="m")


def _team_line(size: int) -> str:
    """What the team is, as drawn: a joint team may have one inspector per department, so the
    letter names the whole team's size and never promises more per department."""
    return (
        f"检查组由上表所列 {size} 名执法检查人员组成，检查时出示执法证件；"
        "你单位可核对证件与本通知所列人员及证号是否一致。"
    )


def first_print_pin(
    visit: Visit,
    pin_issued: Callable[[Visit, str], None] | None = None,
    *,
    issued_by=None,
    via: str = "archive",
) -> str:
    """The visit's PIN if this is its first print by `issued_by`, one of those who send it, else
    "" (firms.services.visit_pin_issue); without `issued_by` a print never issues one. Only a
    POST passes `issued_by` (the first-print button, a notice archive). `pin_issued` hears of
    each PIN issued, so a failed archive can withdraw them."""
    from spotcheck.firms.services import visit_pin_issue

    if issued_by is None:
        return ""
    pin = visit_pin_issue(actor=issued_by, visit=visit, via=via)
    if pin and pin_issued is not None:
        pin_issued(visit, pin)
    return pin


def _pin_line(pin: str) -> str:
    if pin:
        return f"PIN码：{pin}（仅供你单位使用，请妥善保管）"
    return gettext(PIN_ALREADY_SENT)  # Chinese: the letter is printed under zh-hans


def notice_context(visit: Visit, *, issued_on: date | None = None, pin: str = "") -> dict:
    """Everything the letter says about `visit`; `issued_on` defaults to today. `pin` is the
    PIN just issued for the printed letter (only its hash is stored, so only the printer has it);
    "" on a later print, which says instead where the firm gets it."""
    with translation.override("zh-hans"):  # the letter is Chinese whatever the user's language
        return _notice_context(visit, issued_on, pin)


def _notice_context(visit: Visit, issued_on: date | None, pin: str) -> dict:
    batch = visit.batch
    entity = visit.entity
    joint = batch.joint_check
    lead = _lead_department(batch)
    groups = _item_rows(visit, lead)

    serving = visit.team.serving().select_related("inspector", "department")
    team_by_department: dict[int, list[dict]] = {}
    departments = {g["department"].pk: g["department"] for g in groups}
    for member in sorted(serving, key=lambda m: (m.department.code, m.rank)):
        departments.setdefault(member.department.pk, member.department)
        team_by_department.setdefault(member.department.pk, []).append(
            {
                "name": _text(member.inspector.name),
                "certificate_number": _text(member.inspector.certificate_number),
            }
        )
    ordered = sorted(departments.values(), key=lambda d: (d.pk != lead.pk, d.code))

    item_groups = [
        {
            "department": _text(g["department"].name),
            "is_lead": g["department"].pk == lead.pk,
            "tasks": g["tasks"],
            "items": [_item(v) for v in g["items"].values()],
        }
        for g in groups
    ]
    items = [{"department": g["department"], **item} for g in item_groups for item in g["items"]]
    team = [
        {
            "department": _text(d.name),
            "inspectors": team_by_department.get(d.pk, []),
            "names": "、".join(i["name"] for i in team_by_department.get(d.pk, [])) or EMPTY,
            "certificates": "、".join(
                i["certificate_number"] for i in team_by_department.get(d.pk, [])
            )
            or EMPTY,
        }
        for d in ordered
    ]
    contacts = [
        {
            "department": _text(d.name),
            "name": _text(d.contact_name) or EMPTY,
            "phone": _text(d.contact_phone) or EMPTY,
            "address": _text(d.address) or EMPTY,
        }
        for d in ordered
    ]
    department_names = [_text(d.name) for d in ordered]
    is_joint = joint is not None or len(ordered) > 1
    issued_on = issued_on or timezone.localdate()
    versions = [v for g in groups for v in g["items"].values()]
    link = proof_link(visit)
    check_link = inspection_link(visit)

    return {
        "title": JOINT_TITLE if is_joint else SINGLE_TITLE,
        "is_joint": is_joint,
        "letter_number": f"{batch.number}-{visit.visit_id}",
        "batch_number": batch.number,
        "visit_id": visit.visit_id,
        "check_name": _text(joint.name if joint is not None else batch.name),
        "check_number": joint.number if joint is not None else batch.number,
        "policy": POLICY,
        "entity_name": _text(entity.name),
        "entity_code": entity.uscc or entity.registration_number or entity.key,
        "entity_code_label": "统一社会信用代码" if entity.uscc else "注册号",
        "entity_address": _text(entity.address) or EMPTY,
        "issuer": _text(lead.name),
        "departments": department_names,
        "department_list": "、".join(department_names),
        "issue_date": chinese_date(issued_on),
        "planned_date": chinese_date(visit.planned_date),
        "item_groups": item_groups,
        "items": items,
        "item_count": len(items),
        "prepare": _to_prepare(versions, entity.entity_type),
        "refusal": _consequences(entity.entity_type),
        "uncooperative_result": UNCOOPERATIVE,
        "team": team,
        "contacts": contacts,
        "access_code": format_access_code(visit.access_code),
        "proof_url": link,
        "proof_qr_svg": proof_qr(link).svg_data_uri(scale=3, border=2),
        "inspection_url": check_link,
        "inspection_qr_svg": proof_qr(check_link).svg_data_uri(scale=3, border=2),
        "pin": pin,
        "pin_line": _pin_line(pin),
        "rights": [
            _team_line(sum(len(members) for members in team_by_department.values())),
            "检查不收取任何费用。",
            "检查人员与你单位有利害关系的，你单位可在检查前向下列联系人申请回避，并说明理由。",
        ],
    }
