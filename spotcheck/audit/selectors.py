from .models import AuditHeadPublication


def published_heads():
    """Every published chain head, newest first; public by design."""
    return AuditHeadPublication.objects.all()
