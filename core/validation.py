"""Pydantic validation with one friendly sentence for the person in the chat."""

from __future__ import annotations

from typing import TypeVar

from pydantic import BaseModel, ValidationError

from core.errors import InvalidInput

M = TypeVar("M", bound=BaseModel)
COUNTED = {"values", "identity", "goals", "domains", "steps", "keywords", "problems"}


def build(model: type[M], **fields: object) -> M:
    """Validate, turning pydantic's errors into one friendly sentence."""
    try:
        return model.model_validate(fields)
    except ValidationError as exc:
        raise InvalidInput(friendly(exc)) from None


def friendly(exc: ValidationError) -> str:
    error = exc.errors()[0]
    where = str(error["loc"][0]) if error["loc"] else "that"
    ctx = error.get("ctx") or {}
    if error["type"] == "too_long" and "max_length" in ctx:
        limit = ctx["max_length"]
        if where in COUNTED:
            return f"That is too many {where}: at most {limit}."
        return f"That {where} is too long: keep it under {limit} characters."
    if error["type"] == "too_short" and "min_length" in ctx and where in COUNTED:
        return f"That is too few {where}: at least {ctx['min_length']}."
    if error["type"] == "string_too_long":
        return f"That {where} is too long: keep it under {ctx.get('max_length')} characters."
    if error["type"] == "string_too_short":
        return f"That {where} is too short: at least {ctx.get('min_length')} characters."
    message = str(error["msg"]).removeprefix("Value error, ")
    return f"That {where} doesn't work: {message}."
