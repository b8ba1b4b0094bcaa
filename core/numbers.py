"""Numbers people type or buttons carry, read safely: never past int64, never 4,300 digits."""

from __future__ import annotations

INT64_MAX = 2**63 - 1
MAX_ID = 2**31 - 1  # row ids are 32-bit integers in PostgreSQL; a bigger one names no row
_MAX_DIGITS = len(str(INT64_MAX))


def parse_int(text: str, low: int = 0, high: int = MAX_ID) -> int | None:
    """The whole number `text` spells (decimal digits only), or None when it is not one in
    low..high. Very long digit strings are refused before Python converts them."""
    text = text.strip()
    if not text.isdecimal() or len(text.lstrip("0")) > _MAX_DIGITS:
        return None
    value = int(text)
    return value if low <= value <= high else None
