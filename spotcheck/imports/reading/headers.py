"""Which column of a spreadsheet holds which field: header aliases per import kind."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from .errors import FileLevelError

ENTITIES = "entities"
INSPECTORS = "inspectors"
ITEMS = "items"
JOINT_ITEMS = "joint_items"
KINDS = (ENTITIES, INSPECTORS, ITEMS, JOINT_ITEMS)

# canonical field -> headers in common use (matched after normalise_header, so spacing, case
# and full-width forms do not matter). The first alias is the one named in messages.
ALIASES: dict[str, dict[str, tuple[str, ...]]] = {
    ENTITIES: {
        "name": (
            "企业名称",
            "名称",
            "市场主体名称",
            "主体名称",
            "单位名称",
            "检查对象名称",
            "QYMC",
        ),
        "uscc": (
            "统一社会信用代码",
            "信用代码",
            "社会信用代码",
            "统一代码",
            "统一社会信用代码/注册号",
            "TYXYDM",
            "SHXYDM",
            "USCC",
        ),
        "registration_number": ("注册号", "工商注册号", "营业执照注册号", "REGNO", "ZCH"),
        "entity_type": ("企业类型", "主体类型", "市场主体类型", "类型", "QYLX", "ZTLX"),
        "industry": (
            "行业",
            "行业代码",
            "国民经济行业",
            "国民经济行业代码",
            "所属行业",
            "行业分类",
            "HYDM",
        ),
        "region": ("行政区划", "区划代码", "所属区域", "行政区划代码", "所属区县", "XZQH", "QHDM"),
        "address": ("经营地址", "住所", "地址", "经营场所", "注册地址", "住所/经营场所", "JYDZ"),
        "status": ("登记状态", "经营状态", "状态", "DJZT", "JYZT"),
        "credit_class": ("信用风险分类", "信用等级", "信用风险等级", "风险分类", "XYFXFL"),
        "abnormal": (
            "经营异常",
            "异常名录",
            "经营异常名录",
            "是否列入经营异常名录",
            "列入经营异常名录",
        ),
        "tags": ("标签", "对象标签"),
        "departments": ("监管部门", "监管单位", "主管部门"),
    },
    INSPECTORS: {
        "name": ("姓名", "执法人员姓名", "人员姓名", "XM"),
        "certificate_number": (
            "执法证号",
            "证件号码",
            "执法证件号码",
            "执法证编号",
            "证号",
            "ZFZH",
        ),
        "certificate_expiry": ("有效期", "证件有效期", "有效期至", "执法证有效期", "证件有效期至"),
        "department": ("部门", "所属部门", "所属单位", "所在单位", "单位", "执法部门"),
        "expertise": ("执法领域", "专业领域", "专业", "擅长领域", "执法门类"),
        "region": ("区域", "所属区域", "负责区域", "行政区划"),
        "status": ("状态", "人员状态", "在岗状态"),
        "capacity": ("每批上限", "每批次上限", "检查上限"),
    },
    ITEMS: {
        "category": ("抽查类别", "事项类别", "抽查事项类别", "类别"),
        "name": ("抽查事项", "事项名称", "抽查事项名称", "抽查项目", "检查事项"),
        "object": ("检查对象", "抽查对象"),
        "legal_basis": ("抽查依据", "法律依据", "检查依据", "依据"),
        "inspecting_body": ("检查主体", "抽查主体"),
        "content": ("抽查内容", "检查内容"),
        "methods": ("检查方式", "抽查方式", "检查方法"),
        "kind": ("事项类型", "重点一般", "重点/一般", "事项属性"),
        "ratio": ("抽查比例", "检查比例"),
        "frequency": ("抽查频次", "检查频次"),
        "level": ("抽查层级", "层级", "实施层级"),
        "expertise": ("所需执法领域", "执法领域", "专业领域"),
        # provincial lists covering many departments name them in one of these columns
        "department": (
            "部门",
            "实施部门",
            "所属部门",
            "责任部门",
            "编制单位名称",
            "编制单位",
            "实施主体",
            "责任单位",
            "实施单位",
        ),
        "code": ("事项编号", "事项代码", "事项编码"),
    },
    JOINT_ITEMS: {
        "number": ("序号",),
        "field": ("抽查领域", "联合抽查领域", "领域"),
        "name": ("抽查事项", "联合抽查事项", "事项名称"),
        "object": ("检查对象", "抽查对象"),
        "leads": ("发起部门", "牵头部门", "发起单位"),
        "partners": ("配合部门", "参与部门", "配合单位"),
    },
}

# Each group must be present; any one field of a group satisfies it.
REQUIRED: dict[str, tuple[tuple[str, ...], ...]] = {
    ENTITIES: (("name",), ("uscc", "registration_number")),
    INSPECTORS: (("name",), ("certificate_number",)),
    ITEMS: (("name",),),
    JOINT_ITEMS: (("field",), ("name",), ("leads",)),
}

# A blank in these columns means "same as the row above" (the CSV trace of a merged cell).
FILL_DOWN: dict[str, tuple[str, ...]] = {
    ENTITIES: (),
    INSPECTORS: ("department",),
    ITEMS: ("category", "department", "name"),  # a repeated item: see imports.continuations
    JOINT_ITEMS: ("number", "field"),
}

HEADER_SCAN_ROWS = 30

_NOISE = re.compile(r"_x000[dD]_|\s+")
_PARENTHESISED = re.compile(r"\([^)]*\)|\[[^]]*\]|【[^】]*】")


def normalise_header(text: str) -> str:
    """Header text as compared: half-width, no spaces or line breaks, no ``*`` marks, upper case."""
    text = _NOISE.sub("", unicodedata.normalize("NFKC", text))
    return text.strip("*:：").upper()


_LOOKUP: dict[str, dict[str, str]] = {
    kind: {normalise_header(a): field for field, aliases in table.items() for a in aliases}
    for kind, table in ALIASES.items()
}


def field_for_header(kind: str, text: str) -> str | None:
    """The canonical field a header names, or None. ``企业名称（全称）`` still names ``name``."""
    key = normalise_header(text)
    if not key:
        return None
    lookup = _LOOKUP[kind]
    field = lookup.get(key)
    if field is None and ("(" in key or "[" in key or "【" in key):
        field = lookup.get(_PARENTHESISED.sub("", key))
    return field


@dataclass(frozen=True, slots=True)
class Header:
    """Where the header is and which column holds which field."""

    first_row: int  # 0-based index of the first header row
    last_row: int  # 0-based index of the last header row; data starts after it
    columns: dict[str, int]  # field -> 0-based column index
    labels: dict[str, str]  # field -> header text as written in the file


def _map_row(kind: str, cells: Sequence[str]) -> tuple[dict[str, int], dict[str, str]]:
    columns: dict[str, int] = {}
    labels: dict[str, str] = {}
    for index, text in enumerate(cells):
        field = field_for_header(kind, text) if text else None
        if field is not None and field not in columns:
            columns[field] = index
            labels[field] = text.strip()
    return columns, labels


def _map_two_rows(
    kind: str, upper: Sequence[str], lower: Sequence[str]
) -> tuple[dict[str, int], dict[str, str]]:
    """A heading split over two rows: a sub-heading wins, else the cell above, else both joined."""
    columns: dict[str, int] = {}
    labels: dict[str, str] = {}
    for index in range(max(len(upper), len(lower))):
        top = upper[index] if index < len(upper) else ""
        bottom = lower[index] if index < len(lower) else ""
        for text in (bottom, top, top + bottom):
            field = field_for_header(kind, text) if text else None
            if field is not None and field not in columns:
                columns[field] = index
                labels[field] = " ".join(part.strip() for part in (top, bottom) if part.strip())
                break
    return columns, labels


def find_header(kind: str, rows: Sequence[Sequence[str]]) -> Header:
    """Pick the header among the first rows: the row (or pair of rows) naming most known fields."""
    if kind not in ALIASES:
        raise ValueError(f"unknown import kind {kind!r}")
    best: Header | None = None
    best_score = 0
    for index, cells in enumerate(rows):
        columns, labels = _map_row(kind, cells)
        candidate = Header(index, index, columns, labels)
        if index > 0:
            columns2, labels2 = _map_two_rows(kind, rows[index - 1], cells)
            if len(columns2) > len(columns):
                candidate = Header(index - 1, index, columns2, labels2)
        if len(candidate.columns) > best_score:
            best, best_score = candidate, len(candidate.columns)
    if best is None:
        examples = "、".join(aliases[0] for aliases in list(ALIASES[kind].values())[:3])
        raise FileLevelError(
            f"未找到表头：前{len(rows)}行中没有可识别的列名（例如{examples}）",
            code="no_header",
        )
    missing = [
        group for group in REQUIRED[kind] if not any(field in best.columns for field in group)
    ]
    if missing:
        names = "；".join(
            "或".join(f"“{ALIASES[kind][field][0]}”" for field in group) for group in missing
        )
        raise FileLevelError(f"缺少必需的列：{names}", code="missing_column")
    return best
