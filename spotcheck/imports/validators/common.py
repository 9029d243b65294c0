"""Small parsers shared by the row validators: yes/no, lists, dates, departments."""

import re
from collections.abc import Mapping
from datetime import date, datetime, timedelta

from ..rejections import RowError

_YES = {"是", "y", "yes", "1", "true", "列入", "已列入", "√"}
_NO = {"否", "n", "no", "0", "false", "未列入", "无", "×"}
_LIST_SEPARATORS = re.compile(r"[，,、;；/\s]+")
_DATE = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$")
_EXCEL_EPOCH = date(1899, 12, 30)


def parse_yes_no(field: str, text: str) -> bool:
    lowered = text.lower()
    if lowered in _YES:
        return True
    if lowered in _NO:
        return False
    raise RowError(field, f"无法识别“{text}”，请填写“是”或“否”")


def split_list(text: str) -> list[str]:
    return sorted({part for part in _LIST_SEPARATORS.split(text) if part})


def parse_date(field: str, text: str) -> date:
    """2027-12-31, 2027/12/31, 2027年12月31日, 2027-12-31 00:00:00, or an Excel serial number."""
    text = text.split(" ")[0] if re.match(r"^\d{4}-\d{2}-\d{2} ", text) else text
    if match := _DATE.match(text):
        try:
            return date(*(int(part) for part in match.groups()))
        except ValueError:
            pass
    elif re.fullmatch(r"\d{5}(\.0+)?", text):
        return _EXCEL_EPOCH + timedelta(days=int(float(text)))
    else:
        try:
            return datetime.fromisoformat(text).date()
        except ValueError:
            pass
    raise RowError(field, f"日期“{text}”无法识别，请使用 2027-12-31 的格式")


def lookup_departments(field: str, text: str, departments: Mapping[str, int]) -> list[int]:
    """Department codes or names → ids; `departments` maps both codes and names to ids."""
    ids = []
    for part in split_list(text):
        if part not in departments:
            raise RowError(field, f"部门“{part}”不在部门名单中")
        ids.append(departments[part])
    return sorted(set(ids))


def resolve_department(text: str, departments: Mapping[str, int], forced: int | None) -> int:
    """The row's department id; a department-scoped import refuses other departments' rows.
    ``departments`` also resolves other levels' names (省卫健委) and the office's aliases."""
    if not text:
        if forced is None:
            raise RowError("department", "所属部门为空")
        return forced
    if text not in departments:
        raise RowError(
            "department",
            f"部门“{text}”在本地没有对应的部门；如是本地某部门的另一名称，"
            f"请为该部门添加别名（spotcheck department alias 部门代码 “{text}”）",
        )
    if forced is not None and departments[text] != forced:
        raise RowError("department", f"部门“{text}”不是本次导入的部门，不能导入其他部门的数据")
    return departments[text]
