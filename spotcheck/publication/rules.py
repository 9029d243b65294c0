"""Who publishes (谁检查、谁公开): the checking department's own liaison or reviewer."""

import rules

from spotcheck.accounts.models import Role

PUBLISHER_ROLES = (Role.DEPARTMENT_ADMIN, Role.REVIEWER)


@rules.predicate
def can_publish_task(user, task) -> bool:
    return bool(
        user.is_authenticated
        and user.role in PUBLISHER_ROLES
        and user.department_id == task.department_id
    )


@rules.predicate
def can_watch_deadlines(user) -> bool:
    return bool(user.is_authenticated and (user.is_office or user.role in PUBLISHER_ROLES))


rules.add_perm("publication.publish_task", can_publish_task)
rules.add_perm("publication.view_deadlines", can_watch_deadlines)
