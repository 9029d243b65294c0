"""Values handed to raw bulk writes (COPY, executemany) in the form each database expects."""

from datetime import datetime

from django.db import connection


def db_datetime(value: datetime) -> datetime | str:
    """`value` as the driver would send it. SQLite's adapter (Django's ``adapt_datetime``)
    formats every datetime parameter; doing it once per chunk saves a call per row."""
    return value.isoformat(" ") if connection.vendor == "sqlite" else value
