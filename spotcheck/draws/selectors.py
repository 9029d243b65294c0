"""User-scoped reads of batches, visits and teams."""

from django.db.models import Q, QuerySet

from spotcheck.accounts.models import Role
from spotcheck.accounts.scoping import get_scoped_or_404

from .models import DrawBatch, Visit, VisitInspector


def batch_list(*, user) -> QuerySet[DrawBatch]:
    """Batches the user's department organises or has a task in; all for the office and
    oversight."""
    queryset = DrawBatch.objects.select_related("department", "joint_check")
    if not user.is_authenticated:
        return queryset.none()
    if user.is_office or user.is_oversight:
        return queryset
    return queryset.filter(
        Q(department=user.department_id) | Q(tasks__department=user.department_id)
    ).distinct()


def access_batch(user, batch_id: int) -> DrawBatch:
    return get_scoped_or_404(batch_list(user=user), pk=batch_id)


def is_field_inspector(user) -> bool:
    """Inspectors work on their own visits only: not their colleagues' visits, not a whole
    batch's notices (which name every firm to be checked before the check)."""
    return user.role == Role.INSPECTOR and not user.is_office


def _on_team(user) -> Q:
    return Q(team__inspector__user=user.pk, team__recused_at__isnull=True)


def visit_list(*, user, batch: DrawBatch) -> QuerySet[Visit]:
    """The organising department sees every visit; a partner only visits with its own tasks;
    an inspector only the visits on whose team they serve."""
    queryset = Visit.objects.filter(batch=batch).select_related("entity")
    if is_field_inspector(user):
        return queryset.filter(_on_team(user)).distinct()
    if user.is_office or user.is_oversight or user.department_id == batch.department_id:
        return queryset
    return queryset.filter(tasks__department=user.department_id).distinct()


def access_visit(user, visit_pk: int) -> Visit:
    """A visit through its batch's scope, or because the user is on its team; for an inspector
    only the latter; every visit for the office and oversight. Not visible is the same 404 as
    missing."""
    visits = Visit.objects.select_related("batch", "entity", "batch__department")
    if is_field_inspector(user):
        visits = visits.filter(_on_team(user)).distinct()
    elif not (user.is_office or user.is_oversight):
        visits = visits.filter(
            Q(batch__department=user.department_id)
            | Q(tasks__department=user.department_id)
            | _on_team(user)
        ).distinct()
    return get_scoped_or_404(visits, pk=visit_pk)


def visit_team(visit: Visit) -> QuerySet[VisitInspector]:
    return visit.team.select_related("inspector", "department", "replaced_by__inspector").order_by(
        "department__code", "rank", "pk"
    )


def public_batches() -> QuerySet[DrawBatch]:
    return DrawBatch.objects.public().select_related("department", "redraw_of")


def access_notice_archive(user, archive_id: int):
    """An archive is its requester's alone: it holds the letters of their scope."""
    from .models import NoticeArchive

    archives = NoticeArchive.objects.select_related("batch").filter(requested_by=user.pk)
    return get_scoped_or_404(archives, pk=archive_id)


def may_download_notice_archive(user, archive) -> bool:
    """Its requester, while still in the batch's scope, and for an archive with first letters
    (the firms' PINs) while still one who sends the batch's notices: a liaison moved to another
    department or role since asking takes none of the old department's PINs."""
    from spotcheck.firms.services import may_send_pins

    if is_field_inspector(user) or not batch_list(user=user).filter(pk=archive.batch_id).exists():
        return False
    return not archive.carries_pins or may_send_pins(user, archive.batch)
