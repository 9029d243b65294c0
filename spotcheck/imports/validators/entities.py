"""Entity rows → clean directory values, or a RowError naming the wrong cell."""

from dataclasses import dataclass
from functools import lru_cache

from spotcheck.directory.models import CreditClass, EntityStatus, EntityType
from spotcheck.directory.reference import is_industry_code, is_region_code
from spotcheck.directory.uscc import (
    InvalidUSCC,
    is_registration_number,
    looks_like_excel_float,
    validate_uscc,
)

from ..rejections import RowError
from .common import lookup_departments, parse_yes_no, split_list

ENTITY_TYPES = {
    "企业": EntityType.ENTERPRISE, "公司": EntityType.ENTERPRISE,
    "有限责任公司": EntityType.ENTERPRISE, "股份有限公司": EntityType.ENTERPRISE,
    "个人独资企业": EntityType.ENTERPRISE, "合伙企业": EntityType.ENTERPRISE,
    "个体": EntityType.INDIVIDUAL, "个体工商户": EntityType.INDIVIDUAL, "个体户": EntityType.INDIVIDUAL,
    "农民专业合作社": EntityType.COOPERATIVE, "合作社": EntityType.COOPERATIVE,
    "农专社": EntityType.COOPERATIVE, "其他": EntityType.OTHER,
}  # fmt: skip
# USCC characters 1–2: registration authority 9 (market regulation) + organisation type.
TYPE_FROM_USCC = {"91": EntityType.ENTERPRISE, "92": EntityType.INDIVIDUAL,
                  "93": EntityType.COOPERATIVE}  # fmt: skip
STATUSES = {
    "存续": EntityStatus.OPERATING, "在业": EntityStatus.OPERATING, "在营": EntityStatus.OPERATING,
    "开业": EntityStatus.OPERATING, "在册": EntityStatus.OPERATING,
    "存续（在营、开业、在册）": EntityStatus.OPERATING,
    "吊销": EntityStatus.REVOKED, "吊销未注销": EntityStatus.REVOKED,
    "注销": EntityStatus.DEREGISTERED, "迁出": EntityStatus.MOVED_OUT,
    "停业": EntityStatus.CLOSED, "歇业": EntityStatus.CLOSED,
}  # fmt: skip
CREDIT_CLASSES = {c.value: c.value for c in CreditClass} | {
    f"{c.value}类": c.value for c in CreditClass
}


@dataclass(frozen=True, slots=True)
class EntityRow:
    key: str
    values: dict  # only the fields the file provides; absent ones keep their stored value
    departments: list[int]


def validate_entity_row(values: dict[str, str], departments: dict[str, int]) -> EntityRow:
    get = values.get
    uscc_text, regno = get("uscc", ""), get("registration_number", "")
    regno_field = "registration_number"
    if len(uscc_text) == 15 and uscc_text.isdigit() and not regno:
        # a "统一社会信用代码/注册号" column holding a 注册号
        uscc_text, regno, regno_field = "", uscc_text, "uscc"
    uscc = _uscc(uscc_text)
    if regno and not is_registration_number(regno):
        reason = (
            "注册号被Excel存成了数字"
            if looks_like_excel_float(regno)
            else "注册号不是有效的15位注册号"
        )
        raise RowError(regno_field, reason)
    if not uscc and not regno:
        raise RowError("uscc", "缺少统一社会信用代码（或15位注册号）")
    name = get("name", "")
    if not name:
        raise RowError("name", "名称为空")
    clean = {"uscc": uscc, "registration_number": regno, "name": name}
    clean["entity_type"] = _entity_type(get("entity_type", ""), uscc)
    # Optional cells: absent or empty ones are left out, so the stored value is kept. Written
    # out rather than looped because this runs once per row of million-row files.
    if text := get("industry", ""):
        clean["industry_code"] = _industry(text)
    if text := get("region", ""):
        clean["region_code"] = _region(text)
    if text := get("address", ""):
        clean["address"] = text
    if text := get("status", ""):
        clean["status"] = _status(text)
    if text := get("credit_class", ""):
        clean["credit_class"] = _credit_class(text)
    if text := get("abnormal", ""):
        clean["abnormal_listed"] = parse_yes_no("abnormal", text)
    if text := get("tags", ""):
        clean["tags"] = split_list(text)
    department_ids = []
    if text := get("departments", ""):
        department_ids = lookup_departments("departments", text, departments)
    return EntityRow(uscc or regno, clean, department_ids)


def _uscc(text: str) -> str:
    if not text:
        return ""
    try:
        return validate_uscc(text)
    except InvalidUSCC as error:
        raise RowError("uscc", error.reason) from None


def _entity_type(text: str, uscc: str) -> str:
    if not text:
        return TYPE_FROM_USCC.get(uscc[:2], EntityType.OTHER)
    if text in ENTITY_TYPES:
        return ENTITY_TYPES[text]
    if text.endswith(("公司", "企业")):
        return EntityType.ENTERPRISE
    raise RowError(
        "entity_type", f"主体类型“{text}”无法识别（企业、个体工商户、农民专业合作社、其他）"
    )


@lru_cache(maxsize=8192)  # a file repeats a few hundred codes; errors are not cached
def _industry(text: str) -> str:
    code = text.split()[0].upper()
    if not is_industry_code(code):
        raise RowError("industry", f"行业代码“{text}”不在《国民经济行业分类》GB/T 4754-2017 中")
    return code


@lru_cache(maxsize=8192)
def _region(text: str) -> str:
    code = text.split()[0]
    if not is_region_code(code):
        raise RowError("region", f"行政区划代码“{text}”不在 GB/T 2260 中")
    return code


def _status(text: str) -> str:
    if text not in STATUSES:
        raise RowError("status", f"登记状态“{text}”无法识别（存续、吊销、注销、迁出、停业）")
    return STATUSES[text]


def _credit_class(text: str) -> str:
    value = text.strip().upper()
    if value not in CREDIT_CLASSES:
        raise RowError("credit_class", f"信用风险分类“{text}”应为 A、B、C、D 之一")
    return CREDIT_CLASSES[value]
