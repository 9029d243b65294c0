"""Passwords, and the signed-in user as every page needs them.

Rights come from the user's role (``rules.py``); Django's model permissions matter only to
staff in /admin/. Looking up everyone else's (never assigned) model permissions cost two
queries on every page that asks ``has_perm``, and the user's department and inspector record
two more: at 200 people on two cores each round trip waits its turn for the CPU.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class RoleUserBackend(ModelBackend):
    def get_user(self, user_id):
        users = get_user_model()._default_manager.select_related("department", "inspector")
        try:
            user = users.get(pk=user_id)
        except users.model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None

    def _get_permissions(self, user_obj, obj, from_name):
        if not (user_obj.is_staff or user_obj.is_superuser):
            return set()  # no model permission is granted outside /admin/
        return super()._get_permissions(user_obj, obj, from_name)
