"""The task form shows, as the design is typed, the population and the expected sample per
credit-class stratum with the rule checks; its mode default fits its pre-filled values."""

from spotcheck.plans.models import DesignMode

FORM = {
    "name": "电梯使用单位抽查",
    "planned_start": "2026-12-01",
    "planned_end": "2026-12-31",
}


def _preview(client, data) -> str:
    return client.post("/plans/tasks/preview/", data).content.decode()


def test_a_new_task_form_defaults_to_probabilities_like_its_values(client_for, liaison_zhao):
    page = client_for(liaison_zhao).get("/plans/tasks/new/").content.decode()
    assert f'<option value="{DesignMode.POISSON}" selected>' in page
    assert 'name="value_A" value="0.02"' in page
    assert "对每一个信用风险分类分别适用（不是合计）" in page
    assert 'hx-post="/plans/tasks/preview/"' in page


def test_preview_counts_each_stratum_and_its_expected_sample(
    client_for, liaison_zhao, market_population, key_item
):
    # 100 entities: 70 A, 20 B, 7 C, 3 D; 40 per class by count is not 40 in all
    data = FORM | {
        "items": [key_item.current_version.pk],
        "design_mode": "count",
        "value_all": "40",
    }
    page = _preview(client_for(liaison_zhao), data)
    assert 'id="preview-population">100<' in page
    assert '<tr data-stratum="A"><td>A类</td><td class="population">70</td>' in page
    assert 'id="preview-expected">70.0<' in page  # 40 + 20 + 7 + 3
    assert 'id="preview-ok"' in page


def test_preview_names_the_broken_rule_before_saving(
    client_for, liaison_zhao, market_population, key_item
):
    data = FORM | {
        "items": [key_item.current_version.pk],
        "design_mode": "poisson",
        "value_all": "0.01",
    }
    page = _preview(client_for(liaison_zhao), data)
    assert "不定向抽查比例为 1.0%，低于最低比例 3.0%" in page
    assert 'id="preview-ratio">1.0%<' in page


def test_preview_of_bad_input_is_a_message_not_an_error(
    client_for, liaison_zhao, market_population
):
    page = _preview(client_for(liaison_zhao), FORM | {"design_mode": "count", "value_A": "abc"})
    assert "按数量抽取时请填写整数" in page


def test_preview_is_for_those_who_write_tasks(client_for, inspector_zhang):
    assert client_for(inspector_zhang).post("/plans/tasks/preview/", FORM).status_code == 403
