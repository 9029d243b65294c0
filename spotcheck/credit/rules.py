"""The credit-risk class rules (企业信用风险分类): points per fact, thresholds per class.

Pure functions over the facts one entity has on record; the numbers are the setting
SPOTCHECK_CREDIT_RULES and its "VERSION" names the rule set each class was computed with.
docs/credit.md explains them to regulators; change both together and raise the version.
"""

import calendar
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class EntityFacts:
    """What the record says about one entity, counted over the rules' look-back window."""

    industry_code: str = ""
    established_on: date | None = None
    abnormal_listed: bool = False
    problem_visits: int = 0  # approved results with a problem-found category, one per visit
    unreachable_visits: int = 0  # approved results saying the firm could not be checked
    open_follow_ups: int = 0  # rectification, follow-up check, transfer: still open
    open_cases: int = 0  # 立案查处 still open
    confirmed_leads: int = 0  # leads acted on by a check (转检查)


@dataclass(frozen=True)
class Factor:
    rule: str
    count: int
    points: int


@dataclass(frozen=True)
class Classification:
    credit_class: str
    score: int
    factors: list[Factor] = field(default_factory=list)

    def reason(self) -> str:
        """The class's reason in words, as kept with the entity and shown to its owners."""
        parts = [
            _("%(rule)s %(count)s（%(points)+d分）")
            % {"rule": rule_label(f.rule), "count": f.count, "points": f.points}
            for f in self.factors
        ]
        summary = "；".join(parts) or _("无风险记录")
        return _("%(summary)s；合计%(score)s分，%(cls)s类") % {
            "summary": summary,
            "score": self.score,
            "cls": self.credit_class,
        }


def rule_label(rule: str) -> str:
    labels = {
        "problem_visit": _("检查发现问题（次）"),
        "unreachable_visit": _("检查时无法联系或未开展经营（次）"),
        "abnormal_listed": _("列入经营异常名录"),
        "open_follow_up": _("未办结的后续处置（件）"),
        "open_case": _("未办结的立案查处（件）"),
        "confirmed_lead": _("已核实线索（条）"),
        "young": _("成立不满期限"),
        "age_unknown": _("成立日期不详"),
        "high_risk_industry": _("高风险行业"),
    }
    return labels.get(rule, rule)


def credit_rules() -> dict:
    return settings.SPOTCHECK_CREDIT_RULES


def rule_version() -> str:
    return credit_rules()["VERSION"]


def is_high_risk_industry(industry_code: str, prefixes) -> bool:
    return bool(industry_code) and any(industry_code.startswith(p) for p in prefixes)


def months_before(day: date, months: int) -> date:
    """The same day `months` earlier, clamped to the month's last day."""
    index = day.month - 1 - months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def months_between(earlier: date, later: date) -> int:
    months = (later.year - earlier.year) * 12 + later.month - earlier.month
    return months - (1 if later.day < earlier.day else 0)


def classify(facts: EntityFacts, today: date, rules: dict | None = None) -> Classification:
    """Sum the points of every rule that applies; the class is the highest whose minimum
    score is reached (A below B's minimum)."""
    rules = rules or credit_rules()
    points = rules["POINTS"]
    counted = [
        ("problem_visit", facts.problem_visits),
        ("unreachable_visit", facts.unreachable_visits),
        ("abnormal_listed", int(facts.abnormal_listed)),
        ("open_follow_up", facts.open_follow_ups),
        ("open_case", facts.open_cases),
        ("confirmed_lead", facts.confirmed_leads),
    ]
    if facts.established_on is None:
        counted.append(("age_unknown", 1))
    elif months_between(facts.established_on, today) < rules["YOUNG_MONTHS"]:
        counted.append(("young", 1))
    if is_high_risk_industry(facts.industry_code, rules["HIGH_RISK_INDUSTRIES"]):
        counted.append(("high_risk_industry", 1))
    factors = [
        Factor(rule, count, count * points[rule])
        for rule, count in counted
        if count and points[rule]
    ]
    score = sum(f.points for f in factors)
    credit_class = "A"
    for candidate in ("B", "C", "D"):
        if score >= rules["CLASS_MIN_SCORE"][candidate]:
            credit_class = candidate
    return Classification(credit_class, score, factors)
