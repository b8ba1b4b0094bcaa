"""Bodies and answers shared by several resources."""

from __future__ import annotations

import base64
import binascii
import re
from datetime import date, datetime
from typing import Annotated, Generic, Literal, TypeVar

from fastapi import Path, Query
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
)
from pydantic_core import PydanticCustomError

from core.db.models import Identity, User
from core.errors import InvalidField
from core.text import clean_text, has_control
from core.timezones import zone_label
from web_admin.field_messages import NOT_A_DATE, NOT_NULLABLE

T = TypeVar("T")
MAX_LIMIT = 100
DEFAULT_LIMIT = 20
Id = Annotated[int, Path(ge=1, le=2_147_483_647)]


def _exact(value: str) -> str:
    if has_control(value):
        raise PydanticCustomError("control_character", "It can't contain control characters.")
    return value


def _no_nul(value: str) -> str:
    if "\x00" in value:
        raise PydanticCustomError("nul_character", "It can't contain the NUL character.")
    return value


# Every text a request carries is one of these three (a body's field, a query, a path, a form).
CleanText = Annotated[str, AfterValidator(clean_text)]
"""Free text: NUL and other control characters are dropped, as the chat drops them."""
ExactText = Annotated[str, AfterValidator(_exact)]
"""An email, code or token: taken as given, so control characters are refused (422)."""
Password = Annotated[str, AfterValidator(_no_nul)]
"""A password: never stored, so anything goes but NUL, which is refused (422)."""


Flag = StrictBool
"""A boolean a request gives: JSON's true or false only. Pydantic's lax mode would also take
"yes", "on", "1" or 1, which a client never means to send as a boolean (422: "Give true or
false.")."""

WholeNumber = StrictInt
"""An integer a JSON body gives: a JSON number only. Pydantic's lax mode would also take "3"
(text), 3.0 or true (as 1), which a client never means to send as a number (422: "Give a whole
number without quotes, such as 3."). A query's, a path's or a form's numbers are text, read as
before."""


def not_null(message: str) -> BeforeValidator:
    """For a field that may be left out but has no "nothing" to be set to (declared `T | MISSING
    = MISSING`, so the OpenAPI document shows it optional, not nullable): null is a 422 on it,
    "FIELD can't be null; " and `message` (what to give, and what leaving it out does), with
    the code not_nullable (web_admin/problems.py)."""

    def refuse_null(value: object) -> object:
        if value is None:
            raise PydanticCustomError(NOT_NULLABLE, message)
        return value

    return BeforeValidator(refuse_null)


class RequestBody(BaseModel):
    """A JSON body the API takes. A field it does not know (a typo such as `timezon`) is a 422
    naming that field, and nothing changes: it is never dropped in silence."""

    model_config = ConfigDict(extra="forbid")


ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso_day(value: object) -> object:
    if isinstance(value, date) or (isinstance(value, str) and ISO_DAY.fullmatch(value)):
        return value
    raise PydanticCustomError("date_type", NOT_A_DATE)


IsoDay = Annotated[date, BeforeValidator(_iso_day)]
"""A date a request gives (a body's field, a query, a path): YYYY-MM-DD text only. Pydantic's lax
dates also read a number, or digits in quotes, as seconds since 1970 (a 422 here)."""


def sane_date(day: date, field: str) -> date:
    """Dates far outside the calendar HabitLink works in are refused (and cannot overflow)."""
    if not 2000 <= day.year <= 2999:
        raise InvalidField(field, "Give a date between the years 2000 and 2999.")
    return day


class TokenPair(BaseModel):
    access_token: str
    refresh_token: str
    token_type: Literal["bearer"] = "bearer"
    expires_in: int = Field(description="Seconds until the access token expires")


class IdentityOut(BaseModel):
    platform: str
    username: str | None
    display_name: str


class UserOut(BaseModel):
    id: int
    email: str | None
    display_name: str
    timezone: str = Field(description="An IANA name, or UTC+2 for a fixed offset")
    day_start_hour: int
    has_password: bool
    identities: list[IdentityOut]
    created_at: datetime


def user_out(user: User, identities: list[Identity]) -> UserOut:
    return UserOut(
        id=user.id,
        email=user.email,
        display_name=user.display_name,
        timezone=zone_label(user.settings.timezone),
        day_start_hour=user.settings.day_start_hour,
        has_password=user.password_hash is not None,
        identities=[
            IdentityOut(platform=i.platform, username=i.username, display_name=i.display_name)
            for i in identities
        ],
        created_at=user.created_at,
    )


class Page(BaseModel, Generic[T]):
    """One page of a list; pass `next_cursor` as `cursor` for the next one (null: the end)."""

    items: list[T]
    next_cursor: str | None = None


MAX_CURSOR = 999_999  # the largest position a cursor may hold (an offset or a page number)
BAD_CURSOR = "That cursor is not valid; start again without one."
Cursor = Annotated[
    str | None,
    Query(max_length=200, description="The `next_cursor` of the page before; none: the first"),
]


def encode_cursor(position: int) -> str:
    """The cursor for a position in a list (an offset, or a page number)."""
    return base64.urlsafe_b64encode(str(position).encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None, *, first: int) -> int:
    """The position a cursor made by encode_cursor holds, or `first` without one.

    Only what encode_cursor gives back is taken: anything else (not base64, padded, not a whole
    number written as encode_cursor writes it, before the second page or past MAX_CURSOR) is a
    422 naming `cursor`, the same for every paged list."""
    if cursor is None:
        return first
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        text = base64.b64decode(padded.encode(), altchars=b"-_", validate=True).decode("ascii")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise InvalidField("cursor", BAD_CURSOR) from None
    if not (text.isascii() and text.isdigit()) or len(text) > len(str(MAX_CURSOR)):
        raise InvalidField("cursor", BAD_CURSOR)
    position = int(text)
    if not first < position <= MAX_CURSOR or encode_cursor(position) != cursor:
        raise InvalidField("cursor", BAD_CURSOR)
    return position
