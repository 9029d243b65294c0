"""What the public may read: published result records only (the portal and /api/public read
these). A record holds only the published layout, so nothing internal can leak through here."""

import re
from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet

from spotcheck.directory.models import MarketEntity

from .models import PrecheckAnnouncement, PublicRecord

CODE_LIKE = re.compile(r"^[0-9A-Z]{15,18}$")  # a USCC, or a 15-digit registration number


@dataclass(frozen=True)
class RecordFilters:
    q: str = ""  # entity name fragment, or a whole USCC / registration number
    department: str = ""  # department code
    date_from: date | None = None  # publication date
    date_to: date | None = None
    category: str = ""  # result category code


def public_records() -> QuerySet[PublicRecord]:
    """Published and not withdrawn after a granted credit repair (信用修复后停止公示)."""
    return PublicRecord.objects.filter(repaired_at__isnull=True)


def public_record_search(filters: RecordFilters) -> QuerySet[PublicRecord]:
    records = public_records()
    q = filters.q.strip()
    if q and CODE_LIKE.match(q.upper()):
        records = records.filter(uscc=q.upper())
    elif q:
        records = records.filter(entity_name__contains=q)
    if filters.department:
        records = records.filter(department__code=filters.department)
    if filters.date_from:
        records = records.filter(published_on__gte=filters.date_from)
    if filters.date_to:
        records = records.filter(published_on__lte=filters.date_to)
    if filters.category:
        # A semi-join on the link table: no duplicate rows, and the count reads only its index.
        tagged = PublicRecord.categories.through.objects.filter(
            resultcategory__code=filters.category
        )
        records = records.filter(pk__in=tagged.values("publicrecord_id"))
    return records.order_by("-published_on", "-id")


def public_entity_records(code: str) -> QuerySet[PublicRecord]:
    """Every published result of one entity, newest first, over the years."""
    return public_records().filter(uscc=code.upper()).order_by("-published_on", "-id")


def public_announcements() -> QuerySet[PrecheckAnnouncement]:
    return PrecheckAnnouncement.objects.select_related("task__department").order_by("-published_at")


def public_announcement_entities(announcement) -> QuerySet:
    """The entities the task will visit: names and codes only."""
    return (
        MarketEntity.objects.filter(visits__tasks=announcement.task)
        .distinct()
        .order_by("name")
        .only("name", "uscc", "registration_number")
    )
