"""Validation of Bot API requests against the machine-readable spec (telegram-bot-api.json).

`BotApiSpec.decode_request` turns raw request parameters (JSON values or form strings) into
typed values and lists every Problem: unknown method fields, missing required fields, values of
the wrong type (recursively through JSON objects such as reply_markup), and Telegram's documented
limits (text/caption length after entity parsing, callback_data bytes, keyboard shape...).
"""

from __future__ import annotations

import functools
import json
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.fakes.telegram_markup import EntityParseError, parse_entities
from tests.fakes.telegram_models import JSON, Problem, utf16_len

DEFAULT_SPEC_PATH = "/work/shared/specs/telegram-bot-api.json"
SPEC_PATH = Path(os.environ.get("TELEGRAM_BOT_API_SPEC", DEFAULT_SPEC_PATH))

_INT_RE = re.compile(r"[+-]?\d+")
_DISCRIMINATOR_RE = re.compile(r'(?:always|must be) "?([a-z_]+)"?\s*$')
_COMMAND_RE = re.compile(r"[a-z0-9_]{1,32}")
_SECRET_RE = re.compile(r"[A-Za-z0-9_-]{1,256}")
_BOOLEANS = {"true": True, "false": False, "1": True, "0": False}
_BUTTON_NON_ACTIONS = {"text", "icon_custom_emoji_id", "style"}
PARSE_MODES = {"html", "markdown", "markdownv2"}
CHAT_ACTIONS = {
    "typing",
    "upload_photo",
    "record_video",
    "upload_video",
    "record_voice",
    "upload_voice",
    "upload_document",
    "choose_sticker",
    "find_location",
    "record_video_note",
    "upload_video_note",
}
MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_CALLBACK_DATA_BYTES = 64
MAX_CALLBACK_ANSWER = 200
MAX_BUTTONS_PER_ROW = 8
MAX_BUTTONS = 100
MAX_PLACEHOLDER = 64


@dataclass(frozen=True)
class FieldSpec:
    name: str
    types: tuple[str, ...]
    required: bool
    description: str


@dataclass(frozen=True)
class ObjectSpec:
    name: str
    fields: dict[str, FieldSpec]
    subtypes: tuple[str, ...] = ()
    discriminator: tuple[str, str] | None = None


@dataclass(frozen=True)
class FilePart:
    """Marks a parameter that arrived as an uploaded multipart file."""

    name: str


def _problem(path: str, reason: str, description: str) -> list[Problem]:
    return [Problem(path, reason, description)]


def _object_spec(raw: JSON, *, is_subtype: bool) -> ObjectSpec:
    fields = {
        f["name"]: FieldSpec(f["name"], tuple(f["types"]), bool(f["required"]), f["description"])
        for f in raw.get("fields", [])
    }
    discriminator = None
    if is_subtype and fields:
        first = next(iter(fields.values()))
        match = _DISCRIMINATOR_RE.search(first.description)
        if match and first.types == ("String",):
            discriminator = (first.name, match.group(1))
    return ObjectSpec(raw["name"], fields, tuple(raw.get("subtypes", ())), discriminator)


class BotApiSpec:
    def __init__(self, data: JSON) -> None:
        self.version: str = data.get("version", "")
        self.methods = {n: _object_spec(m, is_subtype=False) for n, m in data["methods"].items()}
        self.types = {
            n: _object_spec(t, is_subtype="subtype_of" in t) for n, t in data["types"].items()
        }
        self._lookup = {name.lower(): name for name in self.methods}
        self._object_checks: dict[str, Callable[[JSON, str], list[Problem]]] = {
            "InlineKeyboardButton": _check_button,
            "InlineKeyboardMarkup": _check_inline_keyboard,
            "ForceReply": _check_force_reply,
        }

    @classmethod
    @functools.cache
    def load(cls, path: str = str(SPEC_PATH)) -> BotApiSpec:
        return cls(json.loads(Path(path).read_text(encoding="utf-8")))

    def canonical_method(self, name: str) -> str | None:
        """Method names are case-insensitive in the Bot API."""
        return self._lookup.get(name.lower())

    def decode_request(
        self, method: str, raw: dict[str, Any], file_names: set[str]
    ) -> tuple[JSON, list[Problem]]:
        """Typed params and problems. Top-level values may be form strings or JSON values;
        objects and arrays may arrive JSON-serialised (as PTB sends them) or native."""
        spec = self.methods[method]
        params: JSON = {}
        problems: list[Problem] = []
        for name in sorted(set(raw) | file_names):
            value: Any = FilePart(name) if name in file_names else raw[name]
            field = spec.fields.get(name)
            if field is None:
                problems += _problem(
                    name, "unknown parameter", f'Bad Request: unknown parameter "{name}"'
                )
                params[name] = value
                continue
            params[name], found = self.check_union(value, field.types, name, file_names, True)
            problems += found
        for field in spec.fields.values():
            if field.required and field.name not in params:
                problems += _problem(
                    field.name,
                    "required parameter missing",
                    f'Bad Request: parameter "{field.name}" is required',
                )
        if not problems:
            problems += _method_checks(method, params)
        return params, problems

    def validate_object(self, type_name: str, value: Any, path: str = "") -> list[Problem]:
        """Problems of a native JSON value of `type_name` (e.g. an Update built by a test)."""
        return self.check_union(value, (type_name,), path or type_name, set(), False)[1]

    def check_union(
        self, value: Any, types: tuple[str, ...], path: str, files: set[str], form: bool
    ) -> tuple[Any, list[Problem]]:
        best: tuple[Any, list[Problem]] | None = None
        for type_name in types:
            result = self._check(value, type_name, path, files, form)
            if result is None:
                continue
            if not result[1]:
                return result
            if best is None or len(result[1]) < len(best[1]):
                best = result
        if best is not None:
            return best
        shown = "uploaded file" if isinstance(value, FilePart) else f"{value!r:.60}"
        return value, _problem(
            path,
            f"expected {' or '.join(types)}, got {shown}",
            f'Bad Request: field "{path}" must be of type {" or ".join(types)}',
        )

    def _check(
        self, value: Any, type_name: str, path: str, files: set[str], form: bool
    ) -> tuple[Any, list[Problem]] | None:
        if isinstance(value, FilePart):
            return (value, []) if type_name == "InputFile" else None
        if type_name.startswith("Array of "):
            value = _from_json(value) if form else value
            if not isinstance(value, list):
                return None
            decoded: list[Any] = []
            problems: list[Problem] = []
            for index, item in enumerate(value):
                inner = type_name.removeprefix("Array of ")
                item_value, found = self.check_union(
                    item, (inner,), f"{path}[{index}]", files, False
                )
                decoded.append(item_value)
                problems += found
            return decoded, problems
        scalar = _check_scalar(value, type_name)
        if scalar is not None or type_name in ("Integer", "Float", "Boolean", "String"):
            return scalar
        if type_name == "InputFile":
            if isinstance(value, str) and value.startswith("attach://"):
                if value.removeprefix("attach://") in files:
                    return value, []
                return value, _problem(
                    path,
                    "attach:// names no uploaded file",
                    f"Bad Request: file {value} not found in the request",
                )
            return None
        return self._check_object(value, type_name, path, files, form)

    def _check_object(
        self, value: Any, type_name: str, path: str, files: set[str], form: bool
    ) -> tuple[Any, list[Problem]] | None:
        spec = self.types.get(type_name)
        value = _from_json(value) if form else value
        if spec is None:
            return value, []
        if not isinstance(value, dict):
            return None
        if spec.subtypes:
            return self.check_union(value, spec.subtypes, path, files, False)
        decoded: JSON = {}
        problems: list[Problem] = []
        for key, item in value.items():
            field = spec.fields.get(key)
            if field is None:
                decoded[key] = item
                problems += _problem(
                    f"{path}.{key}",
                    f"unknown field of {type_name}",
                    f'Bad Request: can\'t parse {type_name}: unknown field "{key}"',
                )
                continue
            decoded[key], found = self.check_union(item, field.types, f"{path}.{key}", files, False)
            problems += found
        for field in spec.fields.values():
            if field.required and field.name not in value:
                problems += _problem(
                    f"{path}.{field.name}",
                    f"required field of {type_name} missing",
                    f'Bad Request: can\'t parse {type_name}: field "{field.name}" is required',
                )
        if spec.discriminator and value.get(spec.discriminator[0]) != spec.discriminator[1]:
            key, expected = spec.discriminator
            problems += _problem(
                f"{path}.{key}", f"must be {expected!r}", f"Bad Request: wrong {key} of {type_name}"
            )
        check = self._object_checks.get(type_name)
        if check is not None and not problems:
            problems += check(decoded, path)
        return decoded, problems


def _from_json(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    try:
        return json.loads(value)
    except ValueError:
        return None


def _check_scalar(value: Any, type_name: str) -> tuple[Any, list[Problem]] | None:
    if type_name == "Integer":
        if isinstance(value, int) and not isinstance(value, bool):
            return value, []
        if isinstance(value, str) and _INT_RE.fullmatch(value.strip()):
            return int(value), []
        if isinstance(value, float) and value.is_integer():
            return int(value), []
    elif type_name == "Float":
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value), []
        if isinstance(value, str):
            try:
                return float(value), []
            except ValueError:
                return None
    elif type_name == "Boolean":
        if isinstance(value, bool):
            return value, []
        if isinstance(value, str) and value.lower() in _BOOLEANS:
            return _BOOLEANS[value.lower()], []
    elif type_name == "String":
        if isinstance(value, str):
            return value, []
        if isinstance(value, int | float) and not isinstance(value, bool):
            return str(value), []
    return None


def _check_button(button: JSON, path: str) -> list[Problem]:
    problems: list[Problem] = []
    if not str(button.get("text", "")).strip():
        problems += _problem(
            f"{path}.text", "empty button text", "Bad Request: BUTTON_TEXT_INVALID"
        )
    actions = sorted(set(button) - _BUTTON_NON_ACTIONS)
    if len(actions) != 1:
        problems += _problem(
            path,
            f"exactly one action field required, got {actions}",
            "Bad Request: can't parse inline keyboard button: "
            + (
                "Text buttons are unallowed in the inline keyboard"
                if not actions
                else "only one of the optional fields must be used"
            ),
        )
    if "callback_data" in button:
        size = len(str(button["callback_data"]).encode("utf-8"))
        if not 1 <= size <= MAX_CALLBACK_DATA_BYTES:
            problems += _problem(
                f"{path}.callback_data",
                f"callback_data is {size} bytes, allowed 1-{MAX_CALLBACK_DATA_BYTES}",
                "Bad Request: BUTTON_DATA_INVALID",
            )
    url = button.get("url")
    if isinstance(url, str) and not re.match(r"(https?|tg)://", url):
        problems += _problem(
            f"{path}.url", "url must be http(s):// or tg://", "Bad Request: BUTTON_URL_INVALID"
        )
    return problems


def _check_inline_keyboard(markup: JSON, path: str) -> list[Problem]:
    rows = markup.get("inline_keyboard") or []
    total = sum(len(row) for row in rows)
    widest = max((len(row) for row in rows), default=0)
    if total > MAX_BUTTONS or widest > MAX_BUTTONS_PER_ROW:
        return _problem(
            f"{path}.inline_keyboard",
            f"{total} buttons, widest row {widest} (max {MAX_BUTTONS}, {MAX_BUTTONS_PER_ROW}/row)",
            "Bad Request: reply markup is too long",
        )
    return []


def _check_force_reply(markup: JSON, path: str) -> list[Problem]:
    """force_reply must be True; the placeholder 1-64 characters (the spec's field texts)."""
    problems: list[Problem] = []
    if markup.get("force_reply") is not True:
        problems += _problem(
            f"{path}.force_reply", "must be True", "Bad Request: can't parse reply keyboard markup"
        )
    placeholder = markup.get("input_field_placeholder")
    if placeholder is not None and not 1 <= utf16_len(str(placeholder)) <= MAX_PLACEHOLDER:
        problems += _problem(
            f"{path}.input_field_placeholder",
            f"{utf16_len(str(placeholder))} characters, allowed 1-{MAX_PLACEHOLDER}",
            "Bad Request: can't parse reply keyboard markup",
        )
    return problems


def visible_length(
    text: str, parse_mode: str | None, entities: Any, path: str
) -> tuple[int, list[Problem]]:
    """Length of the text after entity parsing, in UTF-16 code units: the stricter reading of
    Telegram's limits (entity offsets are UTF-16, and an emoji outside the BMP counts twice)."""
    if parse_mode is not None and parse_mode.lower() not in PARSE_MODES:
        return 0, _problem(
            "parse_mode",
            f"unknown parse_mode {parse_mode!r}",
            "Bad Request: unsupported parse_mode",
        )
    try:
        visible, _ = parse_entities(text, None if entities else parse_mode)
    except EntityParseError as exc:
        return 0, _problem(
            path, f"{parse_mode} markup: {exc}", f"Bad Request: can't parse entities: {exc}"
        )
    return utf16_len(visible), []


def _method_checks(method: str, params: JSON) -> list[Problem]:
    problems: list[Problem] = []
    parse_mode = params.get("parse_mode")
    if method in ("sendMessage", "editMessageText"):
        if "text" not in params and "rich_message" not in params:
            return _problem("text", "text is required", "Bad Request: message text is empty")
        if "text" in params:
            size, problems = visible_length(
                params["text"], parse_mode, params.get("entities"), "text"
            )
            if not problems and size == 0:
                problems += _problem("text", "empty text", "Bad Request: message text is empty")
            if size > MAX_TEXT:
                problems += _problem(
                    "text",
                    f"text is {size} characters, max {MAX_TEXT}",
                    "Bad Request: message is too long",
                )
    elif "caption" in params:
        size, problems = visible_length(
            params["caption"], parse_mode, params.get("caption_entities"), "caption"
        )
        if size > MAX_CAPTION:
            problems += _problem(
                "caption",
                f"caption is {size} characters, max {MAX_CAPTION}",
                "Bad Request: message caption is too long",
            )
    if (
        method.startswith("editMessage")
        and "inline_message_id" not in params
        and ("chat_id" not in params or "message_id" not in params)
    ):
        problems += _problem(
            "message_id",
            "chat_id and message_id (or inline_message_id)",
            "Bad Request: message identifier is not specified",
        )
    if (
        method == "answerCallbackQuery"
        and utf16_len(params.get("text") or "") > MAX_CALLBACK_ANSWER
    ):
        problems += _problem(
            "text",
            f"text is {len(params['text'])} characters, max {MAX_CALLBACK_ANSWER}",
            "Bad Request: MESSAGE_TOO_LONG",
        )
    if method == "sendChatAction" and params.get("action") not in CHAT_ACTIONS:
        problems += _problem(
            "action",
            f"unknown action {params.get('action')!r}",
            "Bad Request: wrong parameter action in request",
        )
    if method == "setMyCommands":
        problems += _check_commands(params.get("commands") or [])
    if method in ("setMyCommands", "getMyCommands", "deleteMyCommands"):
        code = params.get("language_code") or ""
        if code and not re.fullmatch(r"[a-z]{2}", code):
            problems += _problem(
                "language_code",
                "must be a two-letter ISO 639-1 code",
                "Bad Request: LANGUAGE_CODE_INVALID",
            )
    if method == "setWebhook":
        problems += _check_webhook(params)
    return problems


def _check_commands(commands: list[JSON]) -> list[Problem]:
    problems: list[Problem] = []
    if len(commands) > 100:
        problems += _problem("commands", "at most 100 commands", "Bad Request: too many commands")
    for index, command in enumerate(commands):
        if not _COMMAND_RE.fullmatch(str(command.get("command", ""))):
            problems += _problem(
                f"commands[{index}].command",
                "1-32 chars of a-z, 0-9, _",
                "Bad Request: BOT_COMMAND_INVALID",
            )
        if not 1 <= len(str(command.get("description", "")).strip()) <= 256:
            problems += _problem(
                f"commands[{index}].description",
                "1-256 characters",
                "Bad Request: BOT_COMMAND_DESCRIPTION_INVALID",
            )
    return problems


def _check_webhook(params: JSON) -> list[Problem]:
    problems: list[Problem] = []
    url = str(params.get("url", ""))
    loopback = re.match(r"http://(127\.0\.0\.1|localhost)(:\d+)?/", url + "/")
    if url and not url.startswith("https://") and not loopback:
        problems += _problem(
            "url",
            "HTTPS URL required (the fake also allows http loopback)",
            "Bad Request: bad webhook: An HTTPS URL must be provided for webhook",
        )
    secret = params.get("secret_token")
    if secret is not None and not _SECRET_RE.fullmatch(str(secret)):
        problems += _problem(
            "secret_token",
            "1-256 characters of A-Z, a-z, 0-9, _ and -",
            "Bad Request: secret token contains unallowed characters",
        )
    connections = params.get("max_connections")
    if connections is not None and not 1 <= connections <= 100:
        problems += _problem("max_connections", "1-100", "Bad Request: bad max_connections")
    return problems
