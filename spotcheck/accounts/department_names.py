"""Department names as spreadsheets write them, matched to the district's departments.

A provincial list names 省卫健委 or 海南省卫生健康委员会 where the district has 东城区卫生健康委员会:
the same department at another level. Names are compared by their *core*: the place and the
level (海南省, 海口市, 东城区; 国家税务总局) and the kind of body (厅, 局, 委员会, 支队, 部门 …)
taken off, the joining 和/与 dropped, and common abbreviations and word orders written out
(卫健 → 卫生健康, 人社 → 人力资源社会保障, 旅文 → 文化旅游 …).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping

_SPACES = re.compile(r"\s+")
_STATE_PREFIX = re.compile(r"^(?:中华人民共和国|国家税务总局)")
# A place then its level: 海南省, 海口市, 东城区, 琼中黎族苗族自治县, 省 or 市 alone. 市 before 场
# starts 市场监管, not a place; 区 before 域 starts 区域.
_PLACE = re.compile(r"^[\u4e00-\u9fff]{0,8}?(?:自治区|自治州|自治县|省|市(?!场)|区(?!域)|县)")
_BODY = re.compile(r"(?:委员会|总队|支队|大队|分局|部门|机构|办公室|厅|局|委|办)$")
_JOINERS = re.compile(r"[和与及、]")
# Whole cores (after the steps above) that mean the same department.
ABBREVIATIONS: dict[str, str] = {
    "卫健": "卫生健康",
    "卫生": "卫生健康",
    "卫计": "卫生健康",
    "人社": "人力资源社会保障",
    "人力社保": "人力资源社会保障",
    "住建": "住房城乡建设",
    "住房城乡建设": "住房城乡建设",
    "住房建设": "住房城乡建设",
    "发改": "发展改革",
    "发展改革": "发展改革",
    "旅文": "文化旅游",
    "文旅": "文化旅游",
    "旅游文化": "文化旅游",
    "文化广电旅游": "文化旅游",
    "旅游文化广电体育": "文化旅游",
    "文化广电旅游体育": "文化旅游",
    "文化广电体育旅游": "文化旅游",
    "文化旅游广电体育": "文化旅游",
    "市场监督管理": "市场监管",
    "市场监管": "市场监管",
    "工商": "市场监管",
    "消防": "消防救援",
    "消防救援": "消防救援",
    "生态环境保护": "生态环境",
    "环保": "生态环境",
    "环境保护": "生态环境",
    "应急": "应急管理",
    "交通": "交通运输",
    "农业": "农业农村",
    "自然资源规划": "自然资源",
    "教育": "教育",
    "教育体育": "教育",
    "教育局": "教育",
    "税务": "税务",
    "海关": "海关",
}


def department_core(name: str) -> str:
    """The part of a department's name that stays the same across levels and places."""
    text = _SPACES.sub("", unicodedata.normalize("NFKC", name))
    text = _STATE_PREFIX.sub("", text)
    while (stripped := _PLACE.sub("", text, count=1)) != text and stripped:
        text = stripped
    if text.endswith("海关"):  # 海口海关, 洋浦海关: a customs house is named by its port
        return "海关"
    while (stripped := _BODY.sub("", text)) != text and stripped:
        text = stripped
    text = _JOINERS.sub("", text)
    return ABBREVIATIONS.get(text, text)


class DepartmentNames(Mapping[str, int]):
    """Department id by code, name or alias as written, else by the core of any of them.

    A core shared by two departments resolves to neither: a guess would file rows under the
    wrong department."""

    def __init__(self, names: Iterable[tuple[int, str]]) -> None:
        self._exact: dict[str, int] = {}
        cores: dict[str, set[int]] = {}
        for pk, name in names:
            self._exact.setdefault(name, pk)
            cores.setdefault(department_core(name), set()).add(pk)
        self._cores = {core: next(iter(ids)) for core, ids in cores.items() if len(ids) == 1}
        # A file names its few departments on every row: each spelling's core is worked out once.
        self._found: dict[str, int | None] = {}

    def _find(self, text: str) -> int | None:
        if text in self._exact:
            return self._exact[text]
        if text not in self._found:
            self._found[text] = self._cores.get(department_core(text))
        return self._found[text]

    def __getitem__(self, text: str) -> int:
        found = self._find(text)
        if found is None:
            raise KeyError(text)
        return found

    def __contains__(self, text: object) -> bool:
        return isinstance(text, str) and self._find(text) is not None

    def __iter__(self) -> Iterator[str]:
        return iter(self._exact)

    def __len__(self) -> int:
        return len(self._exact)
