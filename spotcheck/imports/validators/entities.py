"""Entity rows → clean directory values, or a RowError naming the wrong cell."""

import re
from dataclasses import dataclass
from functools import lru_cache

from spotcheck.directory.legacy_numbers import (
    InvalidRegistrationNumber,
    is_placeholder,
    looks_like_registration_number,
    validate_registration_number,
)
from spotcheck.directory.models import NAMELESS, CreditClass, EntityStatus, EntityType
from spotcheck.directory.reference import is_industry_code, is_region_code
from spotcheck.directory.uscc import InvalidUSCC, validate_uscc

from ..rejections import RowError, RowWarning
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


_NO_NAME = {"", "无字号", "（无字号）", "(无字号)", "无"}
_INDIVIDUAL_TYPES = {k for k, v in ENTITY_TYPES.items() if v == EntityType.INDIVIDUAL}


@dataclass(frozen=True, slots=True)
class EntityRow:
    key: str
    values: dict  # only the fields the file provides; absent ones keep their stored value
    departments: list[int]
    # secondary cells that could not be read: their values are left out, the row is kept
    warnings: tuple[RowWarning, ...] = ()


def validate_entity_row(values: dict[str, str], departments: dict[str, int]) -> EntityRow:
    """The row's key is its USCC, else its registration number in one of the legacy forms; a
    row is rejected only when it has no key or no name. Any other cell that cannot be read is
    dropped with a warning: a valid entity is never lost because of a secondary column."""
    get = values.get
    warnings: list[RowWarning] = []
    uscc_text, regno_text = _key_text(get("uscc", "")), _key_text(get("registration_number", ""))
    regno_field = "registration_number"
    if uscc_text and not regno_text and looks_like_registration_number(uscc_text):
        # a "统一社会信用代码/注册号" column holding a 注册号
        uscc_text, regno_text, regno_field = "", uscc_text, "uscc"
    uscc = _uscc(uscc_text)
    regno = ""
    if regno_text:
        try:
            regno = validate_registration_number(regno_text)
        except InvalidRegistrationNumber as error:
            if not uscc:
                raise RowError(regno_field, error.reason) from None
            warnings.append(
                RowWarning(regno_field, f"{error.reason}；已按统一社会信用代码导入，未保存注册号")
            )
    if not uscc and not regno:
        raise RowError("uscc", "缺少统一社会信用代码（或注册号）")
    clean = {"uscc": uscc, "registration_number": regno}
    clean["entity_type"] = _entity_type_or_warn(get("entity_type", ""), uscc, warnings)
    name = get("name", "")
    if name in _NO_NAME:
        if clean["entity_type"] != EntityType.INDIVIDUAL:
            raise RowError("name", "名称为空")
        name = NAMELESS + get("address", "")
        warnings.append(
            RowWarning("name", "个体工商户无字号，已以“（无字号）”加经营地址登记，请补全名称")
        )
    clean["name"] = name
    # Optional cells: absent or empty ones are left out, so the stored value is kept. Written
    # out rather than looped because this runs once per row of million-row files.
    if text := get("industry", ""):
        _keep(clean, "industry_code", _industry, "industry", text, warnings)
    if text := get("region", ""):
        _keep(clean, "region_code", _region, "region", text, warnings)
    if text := get("address", ""):
        clean["address"] = text
    if text := get("status", ""):
        _keep(clean, "status", _status, "status", text, warnings)
    if text := get("credit_class", ""):
        _keep(clean, "credit_class", _credit_class, "credit_class", text, warnings)
    if text := get("abnormal", ""):
        _keep(clean, "abnormal_listed", _abnormal, "abnormal", text, warnings)
    if text := get("tags", ""):
        clean["tags"] = split_list(text)
    department_ids: list[int] = []
    if text := get("departments", ""):
        try:
            department_ids = lookup_departments("departments", text, departments)
        except RowError as error:
            warnings.append(RowWarning("departments", unlinked(error.reason)))
    return EntityRow(uscc or regno, clean, department_ids, tuple(warnings))


def _key_text(text: str) -> str:
    return "" if is_placeholder(text) else text


def _keep(clean: dict, name: str, parse, field: str, text: str, warnings: list) -> None:
    try:
        clean[name] = parse(text)
    except RowError as error:
        warnings.append(RowWarning(field, dropped(error.reason)))


def dropped(reason: str) -> str:
    """The warning for a secondary cell whose value was left out."""
    return f"{reason}；该项未导入，其余内容已导入"


def unlinked(reason: str) -> str:
    return f"{reason}，未关联监管部门"


def _abnormal(text: str) -> bool:
    return parse_yes_no("abnormal", text)


def _entity_type_or_warn(text: str, uscc: str, warnings: list) -> str:
    try:
        return _entity_type(text, uscc)
    except RowError as error:
        warnings.append(RowWarning("entity_type", type_dropped(error.reason)))
        return TYPE_FROM_USCC.get(uscc[:2], EntityType.OTHER)


def type_dropped(reason: str) -> str:
    return f"{reason}；已按统一社会信用代码第1–2位（或“其他”）确定类型"


def _uscc(text: str) -> str:
    if not text:
        return ""
    try:
        return validate_uscc(text)
    except InvalidUSCC as error:
        raise RowError("uscc", error.reason) from None


_QUALIFIER = re.compile(r"[（(][^）)]*[）)]")


def _entity_type(text: str, uscc: str) -> str:
    if not text:
        return TYPE_FROM_USCC.get(uscc[:2], EntityType.OTHER)
    if text in ENTITY_TYPES:
        return ENTITY_TYPES[text]
    # registers qualify the type: 有限责任公司（自然人投资或控股）, 个体工商户(个人经营)
    base = _QUALIFIER.sub("", text).strip()
    if base in ENTITY_TYPES:
        return ENTITY_TYPES[base]
    if base.endswith(("公司", "企业")):
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
