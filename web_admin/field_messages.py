"""Pydantic's validation errors as plain sentences for a 422's `errors` (web_admin/problems.py),
each naming its field and saying what to give instead, the same way on every route ("limit
should be a whole number, such as 3."). A null where a field cannot be null says so."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

NOT_A_DATE = "a date as YYYY-MM-DD, such as 2027-03-01"
NOT_A_DATETIME = "a date and time as YYYY-MM-DDTHH:MM:SSZ, such as 2027-03-01T07:30:00Z"
NOT_A_TIME = "a time as HH:MM, such as 07:30"
WHOLE_NUMBER = "a whole number, such as 3"
NUMBER = "a number, such as 2.5"
TEXT = "text, in quotes"
LIST = "a list, in [ ]"
OBJECT = "an object, in { }"
TRUE_OR_FALSE = "true or false"
WEB_ADDRESS = "a web address, such as https://example.com"
NOT_NULLABLE = "not_nullable"  # a field error's code: null for a field that can't be null

Ctx = Mapping[str, Any]

GOAL_ID_PATTERN = r"^g[0-9]{1,4}$"
# A patterned field's form in words: the pattern alone would tell a person nothing.
FORMS: dict[str, str] = {GOAL_ID_PATTERN: "a goal's id: g and its number, such as g3"}


def _number(value: object) -> str:
    """2.0 as 2: the bound as it was declared."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _items(ctx: Ctx, word: str) -> str:
    key = "min_length" if word == "least" else "max_length"
    count = ctx.get(key)
    if word == "least" and count == 1:
        return "should have at least one item."
    return f"should have at {word} {count} items."


# What a field of this kind takes (after "should be" or "give"), by Pydantic's error type.
_TAKES: dict[str, Callable[[Ctx], str]] = {
    "int_parsing": lambda _: WHOLE_NUMBER,
    "int_type": lambda _: WHOLE_NUMBER,
    "int_from_float": lambda _: WHOLE_NUMBER,
    "float_parsing": lambda _: NUMBER,
    "float_type": lambda _: NUMBER,
    "finite_number": lambda _: "a finite number",
    "bool_parsing": lambda _: TRUE_OR_FALSE,
    "bool_type": lambda _: TRUE_OR_FALSE,
    "string_type": lambda _: TEXT,
    "list_type": lambda _: LIST,
    "tuple_type": lambda _: LIST,
    "set_type": lambda _: LIST,
    "dict_type": lambda _: OBJECT,
    "model_type": lambda _: OBJECT,
    "model_attributes_type": lambda _: OBJECT,
    "enum": lambda c: str(c.get("expected")),
    "literal_error": lambda c: str(c.get("expected")),
    "json_type": lambda _: "valid JSON",
    "url_parsing": lambda _: WEB_ADDRESS,
    "url_type": lambda _: WEB_ADDRESS,
    "url_scheme": lambda _: "a web address starting with http:// or https://",
}

# The rest of a sentence that begins with the field's name, by Pydantic's error type.
_SAYS: dict[str, Callable[[Ctx], str]] = {
    "missing": lambda _: "is required.",
    "int_parsing_size": lambda _: "is too large a number.",
    "string_unicode": lambda _: (
        "has a character that is not valid Unicode (a lone surrogate such as \\ud800); "
        "send valid UTF-8."
    ),
    "string_too_short": lambda c: (
        "can't be empty."
        if c.get("min_length", 1) == 1
        else f"should have at least {c.get('min_length')} characters."
    ),
    "string_too_long": lambda c: (
        f"is too long: keep it to at most {c.get('max_length')} characters."
    ),
    "too_short": lambda c: _items(c, "least"),
    "too_long": lambda c: _items(c, "most"),
    "greater_than_equal": lambda c: f"should be a number of at least {_number(c.get('ge'))}.",
    "less_than_equal": lambda c: f"should be a number of at most {_number(c.get('le'))}.",
    "greater_than": lambda c: f"should be a number above {_number(c.get('gt'))}.",
    "less_than": lambda c: f"should be a number below {_number(c.get('lt'))}.",
    "none_required": lambda _: "should be left out, or null.",
    "uuid_parsing": lambda _: "is not a valid id.",
    "uuid_type": lambda _: "is not a valid id.",
    "control_character": lambda _: "can't contain control characters.",
    "nul_character": lambda _: "can't contain the NUL character.",
}


def field_kind(error: Mapping[str, Any]) -> str:
    """Pydantic's error type, the same for every text field: a length checked after a validator
    (an optional cleaned text) comes as too_long/too_short, which are a list's types."""
    kind = str(error.get("type", "")) or "invalid"
    if kind in ("too_long", "too_short") and isinstance(error.get("input"), str):
        return f"string_{kind}"
    return kind


def is_null(error: Mapping[str, Any]) -> bool:
    """A null given for a field that can't be null (a missing field is no null)."""
    return error.get("input", ...) is None and field_kind(error) != "missing"


def _takes(error: Mapping[str, Any]) -> str | None:
    kind = field_kind(error)
    ctx: Ctx = error.get("ctx") or {}
    if kind.startswith("date_"):  # date_parsing, date_type, date_from_datetime_parsing, ...
        return NOT_A_DATE
    if kind.startswith("datetime_") or kind.startswith("timezone_"):
        return NOT_A_DATETIME
    if kind.startswith("time_"):
        return NOT_A_TIME
    if kind == "string_pattern_mismatch":
        return FORMS.get(str(ctx.get("pattern")))
    takes = _TAKES.get(kind)
    return takes(ctx) if takes is not None else None


def _sentence(text: str) -> str:
    text = text.removeprefix("Value error, ").strip()
    return text if text.endswith((".", "!", "?")) else text + "."


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def null_message(field: str, error: Mapping[str, Any], *, optional: bool) -> str:
    """`field can't be null; give ...`: what it takes, from its type, or the words of the
    field's own refusal of null (web_admin.schemas.not_null)."""
    takes = _takes(error)
    if takes is None:  # not_null's message: what to give, and what leaving it out does
        return f"{field} can't be null; {_lower_first(_sentence(str(error.get('msg', ''))))}"
    return f"{field} can't be null; give {takes}{', or leave the field out' if optional else ''}."


def field_message(field: str, error: Mapping[str, Any]) -> str:
    """One plain sentence naming `field` for one of Pydantic's errors (its `type`, `ctx`, `msg`)."""
    kind = field_kind(error)
    ctx: Ctx = error.get("ctx") or {}
    if kind == "int_type" and isinstance(error.get("input"), str):  # "3" for a JSON number
        return f"{field} should be a whole number without quotes, such as 3."
    takes = _takes(error)
    if takes is not None:
        return f"{field} should be {takes}."
    says = _SAYS.get(kind)
    if says is not None:
        return f"{field} {says(ctx)}"
    if kind == "string_pattern_mismatch":
        return f"{field} is not in the form this field takes."
    message = str(error.get("msg", "")).removeprefix("Value error, ").strip()
    if message.lower().startswith("value is not a valid email address"):
        return f"{field} doesn't look like an email address."
    if message.startswith("Expected UploadFile"):  # text where a form takes a file
        return f"{field} should be a file, not text (with curl: -F photo=@run.jpg)."
    if not message:
        return f"{field} is not valid here."
    return f"{field}: {_sentence(message)}"
