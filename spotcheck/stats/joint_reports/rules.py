"""Who writes and who reads the reports of a joint check. A department writes its own (its
liaison or reviewer signs); the lead department also reads the partners' signed result reports
(they are addressed to it); every department of a check reads the check's signed summary; the
office reads all and writes the yearly summary. Inspectors and oversight have no part in it."""

from spotcheck.stats.rules import DEPARTMENT_ROLES

from .models import CheckReport, ReportKind


def takes_part(user) -> bool:
    """May open the report pages at all."""
    if not user.is_authenticated:
        return False
    return user.is_office or (user.role in DEPARTMENT_ROLES and user.department_id is not None)


def may_write(user, report: CheckReport) -> bool:
    if not takes_part(user):
        return False
    if report.kind == ReportKind.YEARLY:
        return user.is_office
    return user.role in DEPARTMENT_ROLES and user.department_id == report.department_id


def may_read(user, report: CheckReport, *, check_department_ids: set[int]) -> bool:
    """`check_department_ids`: the departments taking part in the report's joint check."""
    if not takes_part(user):
        return False
    if user.is_office:
        return True
    mine = user.department_id
    if report.department_id == mine:
        return True
    if not report.versions.exists():
        return False  # a draft is its author's
    if report.kind == ReportKind.SUMMARY:
        return mine in check_department_ids
    if report.kind == ReportKind.RESULT:
        return report.joint_check is not None and report.joint_check.lead_department_id == mine
    return False
