"""Liveness and readiness for the load balancer and the process manager.

/healthz answers as long as the process serves requests (restart it when it does not);
/readyz answers 200 only when the database and the cache answer and every migration is applied
(send it no traffic until then, e.g. during an upgrade). Neither needs a login nor says more
than which check failed."""

from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


@never_cache
@require_GET
def healthz(request):
    return JsonResponse({"status": "ok"})


def _database_ok() -> bool:
    try:
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute("SELECT 1")
        return True
    except Exception:  # any failure means "not ready"
        return False


def _cache_ok() -> bool:
    try:
        cache.set("readyz", "1", timeout=10)
        return cache.get("readyz") == "1"
    except Exception:
        return False


def _migrations_ok() -> bool:
    try:
        executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
        return not executor.migration_plan(executor.loader.graph.leaf_nodes())
    except Exception:
        return False


@never_cache
@require_GET
def readyz(request):
    checks = {"database": _database_ok()}
    checks["migrations"] = checks["database"] and _migrations_ok()
    checks["cache"] = _cache_ok()
    ready = all(checks.values())
    return JsonResponse(
        {"status": "ok" if ready else "unavailable", "checks": checks}, status=200 if ready else 503
    )
