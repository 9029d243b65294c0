"""A short digest of an entity's directory fields, so a re-import can tell "unchanged" cheaply."""

import hashlib

FINGERPRINT_FIELDS = (
    "uscc",
    "registration_number",
    "name",
    "entity_type",
    "industry_code",
    "region_code",
    "address",
    "status",
    "credit_class",
    "abnormal_listed",
    "tags",
)


def entity_fingerprint(values: dict) -> str:
    """SHA-256 (first 32 hex) of the fields joined by a unit separator; tags sorted."""
    parts = []
    for field in FINGERPRINT_FIELDS:
        value = values.get(field, "")
        if field == "tags":
            value = ",".join(sorted(value or ()))
        elif field == "abnormal_listed":
            value = "1" if value else "0"
        parts.append(str(value))
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:32]
