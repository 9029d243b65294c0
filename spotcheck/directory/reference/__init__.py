"""Reference tables shipped as data: GB/T 4754-2017 industries and GB/T 2260 regions.

``industries.csv`` and ``regions.csv`` (columns ``code,name,parent``) sit beside this file.
Industries: 门类 ``A``–``T``, 大类 ``01``–``97``, 中类 three digits, 小类 four digits; a 中类
without subdivisions has the one 小类 ``<中类>0`` of the same name, as in the standard.
Regions: current provinces, prefecture-level units and county-level units (six digits).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib import resources

__all__ = [
    "Industry",
    "Region",
    "industries",
    "industry_path",
    "is_industry_code",
    "is_region_code",
    "region_path",
    "regions",
]

INDUSTRY_LEVELS = {1: "section", 2: "division", 3: "group", 4: "class"}  # 门类 大类 中类 小类
REGION_LEVELS = ("province", "prefecture", "county")


@dataclass(frozen=True, slots=True)
class Industry:
    code: str
    name: str
    parent: str  # "" for a 门类

    @property
    def level(self) -> str:
        """section (门类), division (大类), group (中类) or class (小类)."""
        return INDUSTRY_LEVELS[1 if self.code.isalpha() else len(self.code)]

    @property
    def section(self) -> str:
        """The 门类 letter this code belongs to."""
        code = self.code
        while not code.isalpha():
            code = industries()[code].parent
        return code


@dataclass(frozen=True, slots=True)
class Region:
    code: str
    name: str
    parent: str  # "" for a province

    @property
    def level(self) -> str:
        """province, prefecture or county."""
        if self.code.endswith("0000"):
            return REGION_LEVELS[0]
        if self.code.endswith("00"):
            return REGION_LEVELS[1]
        return REGION_LEVELS[2]


def _read(name: str) -> list[tuple[str, str, str]]:
    text = resources.files(__package__).joinpath(name).read_text(encoding="utf-8")
    reader = csv.reader(text.splitlines())
    next(reader)
    return [(code, label, parent) for code, label, parent in reader]


@cache
def industries() -> dict[str, Industry]:
    """Every GB/T 4754-2017 code, keyed by code, in the standard's order."""
    return {code: Industry(code, name, parent) for code, name, parent in _read("industries.csv")}


@cache
def regions() -> dict[str, Region]:
    """GB/T 2260 codes of current provinces, prefectures and counties, keyed by code."""
    return {code: Region(code, name, parent) for code, name, parent in _read("regions.csv")}


def is_industry_code(code: str) -> bool:
    return code in industries()


def is_region_code(code: str) -> bool:
    return code in regions()


def industry_path(code: str) -> list[Industry]:
    """The chain from the 门类 down to ``code`` (e.g. I, 65, 651, 6511)."""
    table = industries()
    chain = []
    while code:
        item = table[code]
        chain.append(item)
        code = item.parent
    return chain[::-1]


def region_path(code: str) -> list[Region]:
    """The chain from the province down to ``code``."""
    table = regions()
    chain = []
    while code:
        item = table[code]
        chain.append(item)
        code = item.parent
    return chain[::-1]
