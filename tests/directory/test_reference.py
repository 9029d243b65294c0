from collections import Counter

from spotcheck.directory.reference import (
    industries,
    industry_path,
    is_industry_code,
    is_region_code,
    region_path,
    regions,
)


def test_industry_table_has_every_level_of_gb_t_4754_2017():
    levels = Counter(item.level for item in industries().values())
    assert levels["section"] == 20
    assert levels["division"] == 97
    assert levels["group"] == 473
    assert levels["class"] >= 1380
    assert {c for c in industries() if c.isalpha()} == set("ABCDEFGHIJKLMNOPQRST")


def test_every_industry_parent_exists_and_codes_nest():
    table = industries()
    for code, item in table.items():
        if item.parent:
            assert item.parent in table
            if len(code) > 2:
                assert code.startswith(item.parent)


def test_known_industries():
    assert industries()["6511"].name == "基础软件开发"
    assert industries()["6450"].name == "互联网数据服务"  # new in the 2017 edition
    assert [i.code for i in industry_path("6511")] == ["I", "65", "651", "6511"]
    assert industries()["1200"].parent == "120"  # a 中类 with one 小类 of the same name
    assert is_industry_code("A") and is_industry_code("0111")
    assert not is_industry_code("6599x") and not is_industry_code("9999")


def test_region_table_covers_provinces_prefectures_and_counties():
    levels = Counter(item.level for item in regions().values())
    assert levels["province"] == 34
    assert levels["prefecture"] >= 330
    assert levels["county"] >= 2800


def test_beijing_districts_are_all_there_and_abolished_ones_are_not():
    beijing = {c for c, r in regions().items() if r.parent == "110100"}
    assert len(beijing) == 16
    assert regions()["110101"].name == "东城区"
    assert not is_region_code("110103")  # 崇文区, merged into 东城区 in 2010
    assert [r.code for r in region_path("110105")] == ["110000", "110100", "110105"]


def test_every_region_parent_exists():
    table = regions()
    for item in table.values():
        assert not item.parent or item.parent in table
