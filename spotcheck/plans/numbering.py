"""Plan, task and joint-check numbers: region code + year + sequence (110101-2026-0007)."""

from django.db import transaction

from .models import NumberSequence


def next_number(kind: str, region_code: str, year: int) -> str:
    """Must run inside the caller's transaction; the row lock makes numbers gap-free per kind."""
    assert transaction.get_connection().in_atomic_block
    NumberSequence.objects.get_or_create(kind=kind, region_code=region_code, year=year)
    sequence = NumberSequence.objects.select_for_update().get(
        kind=kind, region_code=region_code, year=year
    )
    sequence.last += 1
    sequence.save(update_fields=["last"])
    prefix = {"plan": "", "task": "T", "joint": "J", "batch": "B", "lead": "L"}[kind]
    return f"{region_code}-{year}-{prefix}{sequence.last:04d}"
