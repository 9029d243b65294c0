"""Check-item rows → values for a check-item version."""

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from spotcheck.items.models import CheckMethod, ItemKind

from ..rejections import RowError, RowWarning
from .common import resolve_department, split_list

METHODS = {
    "现场检查": CheckMethod.ON_SITE,
    "实地检查": CheckMethod.ON_SITE,
    "现场": CheckMethod.ON_SITE,
    "书面检查": CheckMethod.WRITTEN,
    "书面审查": CheckMethod.WRITTEN,
    "网络检查": CheckMethod.ONLINE,
    "网络监测": CheckMethod.ONLINE,
    "专业机构核查": CheckMethod.PROFESSIONAL,
    "委托专业机构": CheckMethod.PROFESSIONAL,
    "抽样检验": CheckMethod.PROFESSIONAL,
    "检验检测": CheckMethod.PROFESSIONAL,
}
KINDS = {
    "重点": ItemKind.KEY,
    "重点检查事项": ItemKind.KEY,
    "重点事项": ItemKind.KEY,
    "一般": ItemKind.GENERAL,
    "一般检查事项": ItemKind.GENERAL,
    "一般事项": ItemKind.GENERAL,
}
_PERCENT = re.compile(r"(\d+(?:\.\d+)?)\s*%")


#: Shown where a general item's cap comes from the department's default, not from the list.
CAP_NOT_SET = "清单未设定抽查比例，按部门默认上限执行"


@dataclass(frozen=True, slots=True)
class ItemRow:
    department_id: int
    code: str
    values: dict
    warnings: tuple[RowWarning, ...] = ()


def validate_item_row(
    values: dict[str, str], departments: dict[str, int], forced_department: int | None
) -> ItemRow:
    for field, label in (("category", "抽查类别"), ("name", "抽查事项")):
        if not values.get(field):
            raise RowError(field, f"{label}为空")
    department_id = resolve_department(values.get("department", ""), departments, forced_department)
    warnings: list[RowWarning] = []
    kind = _kind(values.get("kind", ""))
    # Only an unreadable ratio is refused: provincial lists set none, and a general item
    # without one is capped by its department's default (see effective_ratio_cap).
    ratio_cap = _ratio(values.get("ratio", ""))
    if kind == ItemKind.GENERAL and ratio_cap is None:
        warnings.append(RowWarning("ratio", CAP_NOT_SET))
    clean = {
        "category": values["category"],
        "name": values["name"],
        "inspection_object": values.get("object", ""),
        "legal_basis": values.get("legal_basis", ""),
        "inspecting_body": values.get("inspecting_body", ""),
        "content": values.get("content", ""),
        "methods": _methods(values.get("methods", ""), warnings),
        "kind": kind,
        "ratio_cap": ratio_cap if kind == ItemKind.GENERAL else None,
        "frequency": values.get("frequency", ""),
        "level": values.get("level", ""),
        "expertise": values.get("expertise", ""),
    }
    return ItemRow(department_id, values.get("code", ""), clean, tuple(warnings))


def _kind(text: str) -> str:
    if not text:
        return ItemKind.GENERAL
    if text not in KINDS:
        raise RowError("kind", f"事项类型“{text}”应为“重点”或“一般”")
    return KINDS[text]


def _methods(text: str, warnings: list[RowWarning]) -> list[str]:
    """Several methods in one cell; an unknown one is left out with a warning, and a cell with
    none known means on-site, the default."""
    if not text:
        return [CheckMethod.ON_SITE]
    methods = []
    for part in split_list(text):
        if part not in METHODS:
            warnings.append(
                RowWarning(
                    "methods",
                    f"检查方式“{part}”无法识别（现场检查、书面检查、网络检查、专业机构核查），"
                    "该方式未导入",
                )
            )
            continue
        methods.append(METHODS[part].value)
    return sorted(set(methods)) or [CheckMethod.ON_SITE]


def _ratio(text: str) -> Decimal | None:
    """'5%', '不低于3%', '0.05' → Decimal('0.05'); blank → None."""
    if not text:
        return None
    try:
        match = _PERCENT.search(text)
        value = Decimal(match.group(1)) / 100 if match else Decimal(text)
    except InvalidOperation:
        raise RowError("ratio", f"抽查比例“{text}”无法识别，请填写如 5%") from None
    if not (0 < value <= 1):
        raise RowError("ratio", f"抽查比例“{text}”应在 0 到 100% 之间")
    return value.quantize(Decimal("0.0001"))
