"""The `code` of every problem the API answers with: one stable, machine-readable word a client
branches on instead of the English `detail` (an RFC 9457 extension member). The OpenAPI document
lists them all (web_admin/problems.py's Problem), so a new one is added here first."""

from __future__ import annotations

from enum import StrEnum

from core.errors import (
    Ambiguous,
    Code,
    Forbidden,
    HabitLinkError,
    InvalidField,
    LimitReached,
    NotFound,
)


class Err(StrEnum):
    """The API's own codes (a refusal from the domain with a core.errors.Code keeps that one)."""

    # the request itself
    INVALID_REQUEST = "invalid_request"  # fields are not valid (type or rule): see `errors`
    BAD_REQUEST = "bad_request"
    NOT_JSON = "not_json"  # the body could not be read as JSON at all
    NO_ROUTE = "no_route"  # nothing at this address
    METHOD_NOT_ALLOWED = "method_not_allowed"  # see the Allow header
    BODY_TOO_LARGE = "body_too_large"
    UNSUPPORTED_MEDIA_TYPE = "unsupported_media_type"  # see the Accept header
    # signing in
    NOT_SIGNED_IN = "not_signed_in"  # no bearer token
    TOKEN_INVALID = "token_invalid"  # expired or garbled: refresh it
    SIGNED_OUT = "signed_out"  # the token's sign-in has ended: sign in again
    WRONG_LOGIN = "wrong_login"
    WRONG_REFRESH_TOKEN = "wrong_refresh_token"
    WRONG_RESET_CODE = "wrong_reset_code"
    ACCOUNT_SUSPENDED = "account_suspended"
    LOGIN_THROTTLED = "login_throttled"  # see the Retry-After header
    # linking accounts (POST /api/v1/me/link)
    LINK_CODE_THROTTLED = "link_code_throttled"  # too many wrong link codes: see Retry-After
    LINK_CODE_MALFORMED = "link_code_malformed"  # not the shape of a code; not counted
    LINK_CODE_UNKNOWN = "link_code_unknown"  # counted toward the pause
    LINK_CODE_EXPIRED = "link_code_expired"
    LINK_CODE_USED = "link_code_used"
    LINK_CODE_OWN = "link_code_own"  # made by this account: it is for the bot
    LINK_CODE_WEB_ACCOUNT = "link_code_web_account"  # made by another web account: never joined
    ALREADY_LINKED = "already_linked"
    # check-ins
    ALREADY_DONE = "already_done"  # a skip of a day done: undo the done first
    # the domain, when a refusal carries no code of its own
    NOT_FOUND = "not_found"
    FORBIDDEN = "forbidden"
    INVALID_INPUT = "invalid_input"
    AMBIGUOUS = "ambiguous"
    LIMIT_REACHED = "limit_reached"  # a daily allowance is used up (429: see Retry-After)
    CONFLICT = "conflict"  # collided with another change: try again
    # the server
    INTERNAL_ERROR = "internal_error"
    STORAGE_UNAVAILABLE = "storage_unavailable"
    MEDIA_UNAVAILABLE = "media_unavailable"
    NOT_READY = "not_ready"
    ERROR = "error"  # any other status


INVALID_VALUE = "invalid_value"  # a field error's code: the value breaks one of the domain's rules
BY_STATUS: dict[int, Err] = {
    400: Err.BAD_REQUEST,
    401: Err.NOT_SIGNED_IN,
    403: Err.FORBIDDEN,
    404: Err.NOT_FOUND,
    405: Err.METHOD_NOT_ALLOWED,
    409: Err.CONFLICT,
    413: Err.BODY_TOO_LARGE,
    415: Err.UNSUPPORTED_MEDIA_TYPE,
    422: Err.INVALID_REQUEST,
    429: Err.LIMIT_REACHED,
    500: Err.INTERNAL_ERROR,
    503: Err.STORAGE_UNAVAILABLE,
}

# Every code a problem may carry, for the OpenAPI document.
ALL_CODES: tuple[str, ...] = (*(e.value for e in Err), *(c.value for c in Code))


def for_status(status: int) -> str:
    return BY_STATUS.get(status, Err.ERROR).value


def of_refusal(exc: HabitLinkError) -> str:
    """A domain refusal's code: its own when it has one, else what kind of refusal it is."""
    if exc.code is not None:
        return exc.code.value
    if isinstance(exc, NotFound):
        return Err.NOT_FOUND.value
    if isinstance(exc, Forbidden):
        return Err.FORBIDDEN.value
    if isinstance(exc, Ambiguous):
        return Err.AMBIGUOUS.value
    if isinstance(exc, LimitReached):
        return Err.LIMIT_REACHED.value
    if isinstance(exc, InvalidField):
        return Err.INVALID_REQUEST.value
    return Err.INVALID_INPUT.value


def of_field(exc: HabitLinkError) -> str:
    """The code of the field error a domain refusal makes: its own, else invalid_value."""
    return exc.code.value if exc.code is not None else INVALID_VALUE
