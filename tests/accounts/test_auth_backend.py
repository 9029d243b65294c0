"""The signed-in user costs one query (with department and inspector); model permissions
count only for staff in /admin/, everyone else's rights come from their role."""

from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext

from spotcheck.accounts.backends import RoleUserBackend
from tests.factories import InspectorFactory


def test_the_user_comes_with_department_and_inspector_in_one_query(inspector_zhang, market_dept):
    InspectorFactory(department=market_dept, user=inspector_zhang)
    with CaptureQueriesContext(connection) as queries:
        user = RoleUserBackend().get_user(inspector_zhang.pk)
        assert user.department == market_dept and user.inspector.user_id == user.pk
    assert len(queries.captured_queries) == 1


def test_model_permissions_count_for_staff_only(liaison_zhao):
    permission = Permission.objects.get(codename="view_auditevent")
    liaison_zhao.user_permissions.add(permission)
    backend = RoleUserBackend()
    assert not backend.has_perm(liaison_zhao, "audit.view_auditevent")
    liaison_zhao.is_staff = True
    liaison_zhao.save()
    staff = backend.get_user(liaison_zhao.pk)  # a fresh object: permissions are cached per user
    assert backend.has_perm(staff, "audit.view_auditevent")


def test_a_deactivated_user_is_signed_out(liaison_zhao):
    liaison_zhao.is_active = False
    liaison_zhao.save()
    assert RoleUserBackend().get_user(liaison_zhao.pk) is None
