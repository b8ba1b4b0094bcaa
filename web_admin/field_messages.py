"""Pydantic's validation errors as plain sentences for a 422's `errors` (web_admin/problems.py):
what to give instead, said the same way on every route ("Give a whole number, such as 3.")."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

NOT_A_DATE = "Give a date as YYYY-MM-DD, such as 2027-03-01."
NOT_A_DATETIME = "Give a date and time as YYYY-MM-DDTHH:MM:SSZ, such as 2027-03-01T07:30:00Z."
NOT_A_TIME = "Give a time as HH:MM, such as 07:30."
NOT_AN_EMAIL = "That doesn't look like an email address."
REQUIRED = "This field is required."
WHOLE_NUMBER = "Give a whole number, such as 3."
TEXT = "Give text, in quotes."
EMPTY = "This can't be empty."
NOT_A_FILE = "Send a file here, not text (with curl: -F photo=@run.jpg)."

Ctx = Mapping[str, Any]

GOAL_ID_PATTERN = r"^g[0-9]{1,4}$"
# A patterned field's form in words: the pattern alone would tell a person nothing.
FORMS: dict[str, str] = {GOAL_ID_PATTERN: "A goal's id is g and its number, such as g3."}


def _pattern(ctx: Ctx) -> str:
    return FORMS.get(str(ctx.get("pattern")), "That is not in the form this field takes.")


def _at_least(ctx: Ctx) -> str:
    return f"Give a number of at least {_number(ctx.get('ge'))}."


def _at_most(ctx: Ctx) -> str:
    return f"Give a number of at most {_number(ctx.get('le'))}."


def _number(value: object) -> str:
    """2.0 as 2: the bound as it was declared."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _short_text(ctx: Ctx) -> str:
    least = ctx.get("min_length", 1)
    return EMPTY if least == 1 else f"Give at least {least} characters."


def _items(ctx: Ctx, word: str) -> str:
    key = "min_length" if word == "least" else "max_length"
    count = ctx.get(key)
    if word == "least" and count == 1:
        return "Give at least one item."
    return f"Give at {word} {count} items."


_BY_TYPE: dict[str, Callable[[Ctx], str]] = {
    "missing": lambda _: REQUIRED,
    "int_parsing": lambda _: WHOLE_NUMBER,
    "int_type": lambda _: WHOLE_NUMBER,
    "int_from_float": lambda _: WHOLE_NUMBER,
    "int_parsing_size": lambda _: "That number is too large.",
    "float_parsing": lambda _: "Give a number, such as 2.5.",
    "float_type": lambda _: "Give a number, such as 2.5.",
    "finite_number": lambda _: "Give a finite number.",
    "bool_parsing": lambda _: "Give true or false.",
    "bool_type": lambda _: "Give true or false.",
    "string_type": lambda _: TEXT,
    "string_unicode": lambda _: (
        "This text has a character that is not valid Unicode (a lone "
        "surrogate such as \\ud800); send valid UTF-8."
    ),
    "string_too_short": _short_text,
    "string_too_long": lambda c: f"Keep it to at most {c.get('max_length')} characters.",
    "string_pattern_mismatch": _pattern,
    "list_type": lambda _: "Give a list, in [ ].",
    "tuple_type": lambda _: "Give a list, in [ ].",
    "set_type": lambda _: "Give a list, in [ ].",
    "too_short": lambda c: _items(c, "least"),
    "too_long": lambda c: _items(c, "most"),
    "dict_type": lambda _: "Give an object, in { }.",
    "model_type": lambda _: "Give an object, in { }.",
    "model_attributes_type": lambda _: "Give an object, in { }.",
    "greater_than_equal": _at_least,
    "less_than_equal": _at_most,
    "greater_than": lambda c: f"Give a number above {_number(c.get('gt'))}.",
    "less_than": lambda c: f"Give a number below {_number(c.get('lt'))}.",
    "enum": lambda c: f"Give {c.get('expected')}.",
    "literal_error": lambda c: f"Give {c.get('expected')}.",
    "none_required": lambda _: "Leave this out, or give null.",
    "json_type": lambda _: "Give valid JSON here.",
    "uuid_parsing": lambda _: "That is not a valid id.",
    "uuid_type": lambda _: "That is not a valid id.",
    "url_parsing": lambda _: "Give a web address, such as https://example.com.",
    "url_type": lambda _: "Give a web address, such as https://example.com.",
    "url_scheme": lambda _: "Give a web address starting with http:// or https://.",
}


def field_kind(error: Mapping[str, Any]) -> str:
    """Pydantic's error type, the same for every text field: a length checked after a validator
    (an optional cleaned text) comes as too_long/too_short, which are a list's types."""
    kind = str(error.get("type", "")) or "invalid"
    if kind in ("too_long", "too_short") and isinstance(error.get("input"), str):
        return f"string_{kind}"
    return kind


def field_message(error: Mapping[str, Any]) -> str:
    """One plain sentence for one of Pydantic's errors (its `type`, `ctx` and `msg`)."""
    kind = field_kind(error)
    ctx: Ctx = error.get("ctx") or {}
    if kind.startswith("date_"):  # date_parsing, date_type, date_from_datetime_parsing, ...
        return NOT_A_DATE
    if kind.startswith("datetime_") or kind.startswith("timezone_"):
        return NOT_A_DATETIME
    if kind.startswith("time_"):
        return NOT_A_TIME
    if kind == "int_type" and isinstance(error.get("input"), str):  # "3" for a JSON number
        return "Give a whole number without quotes, such as 3."
    said = _BY_TYPE.get(kind)
    if said is not None:
        return said(ctx)
    message = str(error.get("msg", "")).removeprefix("Value error, ").strip()
    if message.lower().startswith("value is not a valid email address"):
        return NOT_AN_EMAIL
    if message.startswith("Expected UploadFile"):  # text where a form takes a file
        return NOT_A_FILE
    if not message:
        return "This value is not valid here."
    message = message[0].upper() + message[1:]
    return message if message.endswith((".", "!", "?")) else message + "."
