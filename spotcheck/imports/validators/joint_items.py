"""Joint-item list rows (部门联合抽查事项清单) → values for items.joint_lists.

Departments are named generically ("教育部门", "卫生健康部门", "消防救援机构"), sometimes two to a
cell ("生态环境部门、市场监管部门"); partners are named per field, often as
"市场监管领域相关部门": any member department may join.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass

from spotcheck.items.joint_lists import JointItemValues

from ..rejections import RowError, RowWarning

_SEPARATORS = re.compile(r"[，,、;；/\s]+")
_ANY_MEMBER = ("相关部门", "有关部门", "成员单位")


@dataclass(frozen=True, slots=True)
class JointRow:
    values: JointItemValues
    warnings: tuple[RowWarning, ...] = ()


def validate_joint_item_row(values: dict[str, str], departments: Mapping[str, int]) -> JointRow:
    for field, label in (("field", "抽查领域"), ("name", "抽查事项"), ("leads", "发起部门")):
        if not values.get(field):
            raise RowError(field, f"{label}为空")
    leads: list[int] = []
    for name in _names(values["leads"]):
        if name not in departments:
            raise RowError("leads", f"发起部门“{name}”在本地没有对应的部门；请为该部门添加别名")
        if departments[name] not in leads:
            leads.append(departments[name])
    warnings: list[RowWarning] = []
    text = values.get("partners", "")
    any_member = any(marker in text for marker in _ANY_MEMBER)
    partners: list[int] = []
    for name in [] if any_member else _names(text):
        if name not in departments:
            warnings.append(
                RowWarning("partners", f"配合部门“{name}”在本地没有对应的部门，未列为配合部门")
            )
        elif departments[name] not in partners:
            partners.append(departments[name])
    number = values.get("number", "")
    return JointRow(
        JointItemValues(
            field_number=int(number) if number.isdigit() else 0,
            field_name=values["field"],
            name=values["name"],
            inspection_object=values.get("object", ""),
            leads=tuple(leads),
            partners=tuple(partners),
            partners_text=text,
            any_member_partners=any_member,
        ),
        tuple(warnings),
    )


def _names(text: str) -> list[str]:
    return [part for part in _SEPARATORS.split(text) if part]
