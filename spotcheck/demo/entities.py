"""Reproducible market entities for the demo district: valid USCCs, a realistic mix."""

from collections.abc import Iterator
from random import Random

from spotcheck.directory.reference import industries
from spotcheck.directory.uscc import generate_uscc

from .departments import DISTRICT_CODE

# (section, share): an urban district is mostly trade, catering and services.
INDUSTRY_SHARES = [
    ("F", 34),
    ("H", 12),
    ("L", 10),
    ("O", 8),
    ("C", 5),
    ("I", 7),
    ("M", 6),
    ("E", 4),
    ("K", 4),
    ("G", 3),
    ("R", 3),
    ("P", 2),
    ("Q", 1),
    ("J", 1),
]
# (type, USCC organisation-type character, share)
TYPES = [
    ("enterprise", "1", 35),
    ("individual", "2", 62),
    ("cooperative", "3", 1),
    ("other", "9", 2),
]
STATUSES = [("operating", 92), ("revoked", 3), ("deregistered", 3), ("moved_out", 1), ("closed", 1)]
CREDIT = [("A", 70), ("B", 20), ("C", 7), ("D", 3)]
ABNORMAL_SHARE = 0.015
STREETS = [
    "东华门",
    "景山",
    "交道口",
    "安定门",
    "北新桥",
    "东四",
    "朝阳门",
    "建国门",
    "东直门",
    "和平里",
    "前门",
    "崇文门外",
    "东花市",
    "龙潭",
    "体育馆路",
    "天坛",
    "永定门外",
]
ROADS = [
    "王府井大街",
    "东单北大街",
    "雍和宫大街",
    "东四北大街",
    "朝阳门内大街",
    "建国门内大街",
    "崇文门外大街",
    "天坛路",
    "前门大街",
    "交道口南大街",
    "和平里西街",
    "东直门南大街",
    "广渠门内大街",
    "幸福大街",
    "安定门外大街",
    "北新桥三条",
    "东花市大街",
]
TRADE_NAMES = "鑫隆泰华盛宏达兴旺顺源福瑞祥安康恒信誉美佳新众和合嘉禾德润丰汇通博雅凯锦天宇辰星"
SUFFIX = {
    "F": ("商贸有限公司", "便利店", "超市", "商店"),
    "H": ("餐饮管理有限公司", "餐厅", "小吃店", "酒店"),
    "L": ("商务咨询有限公司", "企业管理有限公司", "广告有限公司"),
    "O": ("美容美发店", "洗衣店", "家政服务有限公司"),
    "C": ("食品有限公司", "服装加工厂", "印刷有限公司"),
    "I": ("科技有限公司", "网络科技有限公司"),
    "M": ("技术服务有限公司", "检测技术有限公司"),
    "E": ("建筑工程有限公司", "装饰工程有限公司"),
    "K": ("房地产经纪有限公司", "物业管理有限公司"),
    "G": ("物流有限公司", "汽车运输有限公司"),
    "R": ("文化传媒有限公司", "健身中心", "网吧"),
    "P": ("教育咨询有限公司", "培训学校"),
    "Q": ("诊所", "医院管理有限公司"),
    "J": ("投资管理有限公司",),
}


# Licences an entity holds, by section: what departments filter their populations on.
LICENCE_TAGS = {
    "H": ["食品经营许可"],
    "F": ["食品经营许可"],
    "Q": ["医疗机构执业许可"],
    "R": ["网络文化经营许可"],
    "C": ["排污许可"],
    "G": ["道路运输经营许可"],
}


def _weighted(rng: Random, table):
    return rng.choices([row[0] for row in table], weights=[row[-1] for row in table])[0]


def _classes_by_section() -> dict[str, list[str]]:
    """4-digit classes (小类) under each section (门类), walking the parent links."""
    table = industries()
    section_of: dict[str, str] = {}

    def section(code: str) -> str:
        if code not in section_of:
            parent = table[code].parent
            section_of[code] = code if not parent else section(parent)
        return section_of[code]

    grouped: dict[str, list[str]] = {}
    for code in table:
        if len(code) == 4 and code.isdigit():
            grouped.setdefault(section(code), []).append(code)
    return grouped


def demo_entities(count: int, seed: int = 2026) -> Iterator[dict]:
    """Rows in the import pipeline's canonical field names, `departments` by industry section."""
    rng = Random(seed)
    classes = _classes_by_section()
    seen: set[str] = set()
    while len(seen) < count:
        entity_type, org_char, _ = rng.choices(TYPES, weights=[t[2] for t in TYPES])[0]
        uscc = generate_uscc(rng, org_type=org_char, region=DISTRICT_CODE)
        if uscc in seen:
            continue
        seen.add(uscc)
        section = _weighted(rng, INDUSTRY_SHARES)
        trade = "".join(rng.sample(TRADE_NAMES, 2))
        name = f"北京{trade}{rng.choice(SUFFIX[section])}"
        if entity_type == "individual":
            name = f"东城区{trade}{rng.choice(SUFFIX[section]).replace('有限公司', '部')}"
        yield {
            "uscc": uscc,
            "name": f"{name}（{rng.choice(STREETS)}）" if rng.random() < 0.3 else name,
            "entity_type": entity_type,
            "industry_code": rng.choice(classes[section]),
            "section": section,
            "region_code": DISTRICT_CODE,
            "address": f"北京市东城区{rng.choice(ROADS)}{rng.randint(1, 299)}号",
            "status": _weighted(rng, STATUSES),
            "credit_class": _weighted(rng, CREDIT),
            "abnormal_listed": rng.random() < ABNORMAL_SHARE,
            "tags": LICENCE_TAGS.get(section, []) if rng.random() < 0.6 else [],
        }
