"""A short digest of an entity's directory fields, so a re-import can tell "unchanged" cheaply."""

from hashlib import sha256

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
_TEXT_FIELDS = FINGERPRINT_FIELDS[:-2]  # the last two, abnormal_listed and tags, need shaping


def entity_fingerprint(values: dict) -> str:
    """SHA-256 (first 32 hex) of the fields joined by a unit separator; tags sorted.

    Called once per imported row, so written as one join rather than a loop over fields.
    """
    get = values.get
    parts = [str(get(field, "")) for field in _TEXT_FIELDS]
    parts.append("1" if get("abnormal_listed") else "0")
    parts.append(",".join(sorted(get("tags") or ())))
    return sha256("\x1f".join(parts).encode()).hexdigest()[:32]
