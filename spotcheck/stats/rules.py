"""Who sees the dashboards: the office and oversight see every department; a department's
liaison and reviewer see their own. Inspectors do not (credit classes and colleagues' workload
are on the page)."""

import rules

from spotcheck.accounts.models import Role

DEPARTMENT_ROLES = (Role.DEPARTMENT_ADMIN, Role.REVIEWER)


@rules.predicate
def can_view_dashboard(user) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_office or user.is_oversight:
        return True
    return user.role in DEPARTMENT_ROLES and user.department_id is not None


@rules.predicate
def sees_every_department(user) -> bool:
    return bool(user.is_authenticated and (user.is_office or user.is_oversight))


rules.add_perm("stats.view_dashboard", can_view_dashboard)


@rules.predicate
def can_score_assessment(user) -> bool:
    """The office assesses the departments (the leadership group's coordinating office)."""
    return bool(user.is_authenticated and user.is_office)


@rules.predicate
def can_add_assessment_evidence(user, assessment) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_office:
        return True
    return user.role in DEPARTMENT_ROLES and user.department_id == assessment.department_id


rules.add_perm("stats.score_assessment", can_score_assessment)


@rules.predicate
def can_request_report(user, department) -> bool:
    """The office for any department or the district; a department for its own."""
    if not user.is_authenticated:
        return False
    if user.is_office:
        return True
    return (
        department is not None
        and user.role in DEPARTMENT_ROLES
        and user.department_id == department.pk
    )


@rules.predicate
def may_request_reports(user) -> bool:
    """The office, or a department's liaison or reviewer (for its own); oversight only reads."""
    if not user.is_authenticated:
        return False
    return user.is_office or (user.role in DEPARTMENT_ROLES and user.department_id is not None)


def can_read_report(user, report) -> bool:
    if sees_every_department(user):
        return True
    return report.department_id is not None and report.department_id == user.department_id
