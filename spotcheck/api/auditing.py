"""Reads of whole lists through the API are audited like exports: who took which list, when."""

import functools

from django.db import transaction

from spotcheck.audit.event_types import AuditEventType
from spotcheck.audit.services import audit_event_record


def audited_list(what: str):
    """Wrap a list endpoint (under `@paginate`) so each page served leaves an audit event."""

    def decorate(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            with transaction.atomic():
                audit_event_record(
                    event_type=AuditEventType.API_LIST_READ,
                    actor=request.user,
                    department=request.user.department,
                    target_type="api.list",
                    target_id=what,
                    extra={"path": request.path, "query": request.GET.dict()},
                )
            return view(request, *args, **kwargs)

        # Copied onto outer wrappers (`@paginate` uses functools.wraps): tests find it there.
        wrapper.audited_list = what
        return wrapper

    return decorate
