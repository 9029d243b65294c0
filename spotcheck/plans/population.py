"""A task's population filter → the entities that may be drawn, stratified by credit class."""

from collections.abc import Iterator

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from spotcheck.directory.models import DepartmentEntityRecord, EntityStatus, MarketEntity

# Keys a population filter may hold; each is optional and narrows the population.
FILTER_KEYS = (
    "entity_types",  # list of EntityType values
    "industry_prefixes",  # GB/T 4754 code prefixes, e.g. ["52", "6210"]
    "region_codes",  # GB/T 2260 codes
    "statuses",  # default: operating only
    "tags",  # any of these tags: the shared record's or the task department's own
    "credit_classes",  # subset of A–D
    "abnormal",  # True: only abnormal-listed; False: exclude them; absent: both
    "supervised_only",  # default True: entities the task's department supervises
    "entity_keys",  # a directed task's named targets
)


def population_queryset(population_filter: dict, department_id: int) -> QuerySet[MarketEntity]:
    f = population_filter
    queryset = MarketEntity.objects.filter(status__in=f.get("statuses") or [EntityStatus.OPERATING])
    if f.get("supervised_only", True):
        # EXISTS, not a join: no DISTINCT needed over a province's nine links per entity.
        links = MarketEntity.departments.through.objects.filter(
            marketentity=OuterRef("pk"), department_id=department_id
        )
        queryset = queryset.filter(Exists(links))
    if types := f.get("entity_types"):
        queryset = queryset.filter(entity_type__in=types)
    if prefixes := f.get("industry_prefixes"):
        condition = Q()
        for prefix in prefixes:
            condition |= Q(industry_code__startswith=prefix)
        queryset = queryset.filter(condition)
    if regions := f.get("region_codes"):
        queryset = queryset.filter(region_code__in=regions)
    if classes := f.get("credit_classes"):
        queryset = queryset.filter(credit_class__in=classes)
    if (abnormal := f.get("abnormal")) is not None:
        queryset = queryset.filter(abnormal_listed=bool(abnormal))
    if keys := f.get("entity_keys"):
        queryset = queryset.filter(key__in=keys)
    return queryset


def population_rows(population_filter: dict, department_id: int) -> Iterator[tuple[str, str]]:
    """(entity key, credit class) of every entity in the population, in key order.
    Tags are matched here, in Python: JSON containment is not portable to SQLite. A tag
    matches on the shared record or on the department's own record about the entity."""
    wanted = set(population_filter.get("tags") or ())
    rows = (
        population_queryset(population_filter, department_id)
        .order_by("key")
        .values_list("pk", "key", "credit_class", "tags")
    )
    own_tags = _department_tags(department_id, wanted)
    for pk, key, credit_class, tags in rows.iterator(chunk_size=10000):
        if not wanted or wanted.intersection(tags) or pk in own_tags:
            yield key, credit_class


def _department_tags(department_id: int, wanted: set[str]) -> set[int]:
    """Entities whose department's own record carries one of the wanted tags."""
    if not wanted:
        return set()
    records = DepartmentEntityRecord.objects.filter(department=department_id).exclude(tags=[])
    return {
        entity_id
        for entity_id, tags in records.values_list("entity_id", "tags").iterator()
        if wanted.intersection(tags)
    }


def stratum_sizes(population_filter: dict, department_id: int) -> dict[str, int]:
    """Entities per credit class in the population: the design's strata. Counted by the
    database unless tags are wanted (matched in Python, see population_rows)."""
    if not population_filter.get("tags"):
        counts = (
            population_queryset(population_filter, department_id)
            .order_by("credit_class")
            .values_list("credit_class")
            .annotate(n=Count("pk"))
        )
        return dict(counts)
    sizes: dict[str, int] = {}
    for _, credit_class in population_rows(population_filter, department_id):
        sizes[credit_class] = sizes.get(credit_class, 0) + 1
    return sizes
