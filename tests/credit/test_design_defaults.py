"""Classes feed the task designs' defaults: each class's probability comes from the settings."""

from spotcheck.plans.forms import TaskForm


def test_task_form_offers_the_class_probabilities_of_the_settings(settings, market_dept):
    form = TaskForm(department=market_dept)
    assert [form.fields[f"value_{c}"].initial for c in "ABCD"] == ["0.02", "0.05", "1", "1"]
    settings.SPOTCHECK_RULES = {
        **settings.SPOTCHECK_RULES,
        "CREDIT_CLASS_PROBABILITIES": {"A": "0.01", "B": "0.04", "C": "0.5", "D": "1"},
    }
    form = TaskForm(department=market_dept)
    assert [form.fields[f"value_{c}"].initial for c in "ABCD"] == ["0.01", "0.04", "0.5", "1"]
