"""Role predicates (django-rules): who may do what, before department scoping narrows rows."""

import rules

from .models import Role


@rules.predicate
def is_office(user) -> bool:
    return bool(user.is_authenticated and user.is_office)


@rules.predicate
def is_department_admin(user) -> bool:
    return bool(user.is_authenticated and user.role == Role.DEPARTMENT_ADMIN)


@rules.predicate
def is_staff_member(user) -> bool:
    return bool(user.is_authenticated and (user.is_office or user.department_id))


@rules.predicate
def is_inspector(user) -> bool:
    return bool(user.is_authenticated and user.role == Role.INSPECTOR and not user.is_office)


can_manage_directory = is_office | is_department_admin

rules.add_perm("directory.view", is_staff_member)
rules.add_perm("directory.manage", can_manage_directory)
# Inspectors look entities up for their visits; whole-directory exports are not their work.
rules.add_perm("directory.export", is_staff_member & ~is_inspector)
rules.add_perm("items.view", is_staff_member)
rules.add_perm("items.manage", can_manage_directory)
rules.add_perm("imports.run", can_manage_directory)
rules.add_perm("audit.view", is_office)
rules.add_perm("entities.manage_shared", is_office)
