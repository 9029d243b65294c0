"""Inspector rows → values for the inspector directory."""

from dataclasses import dataclass

from spotcheck.directory.models import InspectorStatus
from spotcheck.directory.reference import is_region_code

from ..rejections import RowError
from .common import parse_date, resolve_department, split_list

STATUSES = {
    "在岗": InspectorStatus.ACTIVE,
    "在职": InspectorStatus.ACTIVE,
    "正常": InspectorStatus.ACTIVE,
    "休假": InspectorStatus.ON_LEAVE,
    "请假": InspectorStatus.ON_LEAVE,
    "离岗": InspectorStatus.LEFT,
    "离职": InspectorStatus.LEFT,
    "退休": InspectorStatus.LEFT,
    "调离": InspectorStatus.LEFT,
}


@dataclass(frozen=True, slots=True)
class InspectorRow:
    certificate_number: str
    department_id: int
    values: dict
    warnings: tuple = ()  # none yet: every inspector cell is needed to staff a visit


def validate_inspector_row(
    values: dict[str, str], departments: dict[str, int], forced_department: int | None
) -> InspectorRow:
    name = values.get("name", "")
    if not name:
        raise RowError("name", "姓名为空")
    certificate = values.get("certificate_number", "").upper()
    if not certificate:
        raise RowError("certificate_number", "执法证号为空")
    if not values.get("certificate_expiry"):
        raise RowError("certificate_expiry", "执法证有效期为空")
    department_id = resolve_department(values.get("department", ""), departments, forced_department)
    clean = {
        "name": name,
        "certificate_expiry": parse_date("certificate_expiry", values["certificate_expiry"]),
        "expertise": split_list(values.get("expertise", "")),
        "region_code": _region(values.get("region", "")),
        "status": _status(values.get("status", "")),
        "capacity_per_batch": _capacity(values.get("capacity", "")),
    }
    return InspectorRow(certificate, department_id, clean)


def _region(text: str) -> str:
    if text and not is_region_code(text):
        raise RowError("region", f"行政区划代码“{text}”不在 GB/T 2260 中")
    return text


def _status(text: str) -> str:
    if not text:
        return InspectorStatus.ACTIVE
    if text not in STATUSES:
        raise RowError("status", f"状态“{text}”无法识别（在岗、休假、离岗）")
    return STATUSES[text]


def _capacity(text: str) -> int:
    if not text:
        return 20
    try:
        value = int(float(text))
    except ValueError:
        raise RowError("capacity", f"每批上限“{text}”不是整数") from None
    if value < 1 or value != float(text):
        raise RowError("capacity", f"每批上限“{text}”应为正整数")
    return value
