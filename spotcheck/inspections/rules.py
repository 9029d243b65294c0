"""Who may enter, review and close results (django-rules predicates)."""

import rules

from spotcheck.accounts.models import Role


def serving_member(user, visit):
    """The user's own serving place on the visit's team, if any."""
    return visit.team.filter(inspector__user=user.pk, recused_at__isnull=True).first()


@rules.predicate
def is_on_visit_team(user, result) -> bool:
    return serving_member(user, result.visit) is not None


@rules.predicate
def is_results_department_inspector(user, result) -> bool:
    """A serving inspector of the result's own department: other departments' items are closed."""
    member = serving_member(user, result.visit)
    return member is not None and member.department_id == result.department_id


@rules.predicate
def is_results_department_reviewer(user, result) -> bool:
    return user.role == Role.REVIEWER and user.department_id == result.department_id


@rules.predicate
def is_results_department_admin(user, result) -> bool:
    return user.role == Role.DEPARTMENT_ADMIN and user.department_id == result.department_id


can_enter_result = is_results_department_inspector | is_results_department_admin
# The reviewer may not be one of the visit's inspectors (回避: nobody approves their own check).
can_review_result = is_results_department_reviewer & ~is_on_visit_team


@rules.predicate
def can_close_visit(user, visit) -> bool:
    """The office, or the lead (organising) department's liaison, closes a joint visit."""
    if user.is_office:
        return True
    return user.department_id == visit.batch.department_id and user.can_manage_department_data


rules.add_perm("inspections.enter_result", can_enter_result)
rules.add_perm("inspections.review_result", can_review_result)
