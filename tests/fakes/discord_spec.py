"""Validation of Discord REST requests against the OpenAPI 3.1 spec (discord-api-openapi.json).

`DiscordApiSpec.match` maps a request path onto the spec's path templates; `validate_body` checks
a JSON body against the operation's request schema (with jsonschema, when installed) and against
the documented limits the spec does not spell out for bots (message content 2000 characters,
embed totals, action-row shapes, unique custom_ids, autocomplete choices...). Problems come back
as `Problem`s; `errors_tree` renders them like Discord's 50035 "Invalid Form Body" errors.
"""

from __future__ import annotations

import functools
import importlib
import json
import os
import re
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from tests.fakes.discord_models import IS_COMPONENTS_V2, JSON, Problem

try:  # jsonschema comes with the dev extras (moto[server]); without it only the limits apply
    jsonschema: Any = importlib.import_module("jsonschema")
    referencing: Any = importlib.import_module("referencing")
    DRAFT202012: Any = importlib.import_module("referencing.jsonschema").DRAFT202012
except ImportError:  # pragma: no cover - depends on the environment
    jsonschema = referencing = DRAFT202012 = None

DEFAULT_SPEC_PATH = "/work/shared/specs/discord-api-openapi.json"
SPEC_PATH = Path(os.environ.get("DISCORD_API_SPEC", DEFAULT_SPEC_PATH))
SPEC_URI = "urn:discord-openapi"

MAX_CONTENT = 2000
MAX_EMBEDS = 10
MAX_EMBED_TOTAL = 6000
EMBED_LIMITS = {"title": 256, "description": 4096}
MAX_EMBED_FIELDS = 25
MAX_ACTION_ROWS = 5
MAX_ROW_BUTTONS = 5
MAX_V2_COMPONENTS = 40
MAX_CUSTOM_ID = 100
MAX_BUTTON_LABEL = 80
MAX_ATTACHMENTS = 10
MAX_CHOICES = 25
MAX_COMMAND_OPTIONS = 25
MAX_GLOBAL_COMMANDS = 100
SELECT_TYPES = {3, 5, 6, 7, 8}
_COMMAND_NAME_RE = re.compile(r"^[-_\w]{1,32}$")


@dataclass(frozen=True)
class RouteMatch:
    template: str
    params: dict[str, str]
    methods: frozenset[str]


def _max_len(path: tuple[str | int, ...], value: Any, limit: int) -> list[Problem]:
    if isinstance(value, str) and len(value) > limit:
        return [Problem(path, "BASE_TYPE_MAX_LENGTH", f"Must be {limit} or fewer in length.")]
    return []


def _custom_id(path: tuple[str | int, ...], value: Any) -> list[Problem]:
    if not isinstance(value, str) or not 1 <= len(value) <= MAX_CUSTOM_ID:
        return [Problem(path, "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length.")]
    return []


def check_embeds(embeds: Any, path: tuple[str | int, ...] = ("embeds",)) -> list[Problem]:
    if not isinstance(embeds, list):
        return []
    problems: list[Problem] = []
    if len(embeds) > MAX_EMBEDS:
        problems.append(Problem(path, "BASE_TYPE_MAX_LENGTH", "Must be 10 or fewer in length."))
    total = 0
    for index, embed in enumerate(embeds):
        if not isinstance(embed, dict):
            continue
        here = (*path, index)
        for key, limit in EMBED_LIMITS.items():
            problems += _max_len((*here, key), embed.get(key), limit)
        fields = embed.get("fields") or []
        if len(fields) > MAX_EMBED_FIELDS:
            problems.append(
                Problem((*here, "fields"), "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.")
            )
        for number, item in enumerate(fields):
            problems += _max_len((*here, "fields", number, "name"), item.get("name"), 256)
            problems += _max_len((*here, "fields", number, "value"), item.get("value"), 1024)
            total += len(str(item.get("name") or "")) + len(str(item.get("value") or ""))
        footer = (embed.get("footer") or {}).get("text")
        author = (embed.get("author") or {}).get("name")
        problems += _max_len((*here, "footer", "text"), footer, 2048)
        problems += _max_len((*here, "author", "name"), author, 256)
        for text in (embed.get("title"), embed.get("description"), footer, author):
            total += len(str(text or ""))
    if total > MAX_EMBED_TOTAL:
        problems.append(
            Problem(path, "MESSAGE_EMBED_TOTAL_LENGTH", "Embed size exceeds maximum size of 6000")
        )
    return problems


def _check_button(path: tuple[str | int, ...], button: JSON) -> list[Problem]:
    problems = _max_len((*path, "label"), button.get("label"), MAX_BUTTON_LABEL)
    style = button.get("style")
    if style == 5:
        if not button.get("url") or "custom_id" in button:
            problems.append(Problem(path, "BUTTON_LINK_SHAPE", "A link button needs url only."))
    elif style == 6:
        if not button.get("sku_id"):
            problems.append(Problem(path, "BUTTON_PREMIUM_SHAPE", "A premium button needs sku_id."))
    elif style in (1, 2, 3, 4):
        problems += _custom_id((*path, "custom_id"), button.get("custom_id"))
        if button.get("url"):
            problems.append(Problem(path, "BUTTON_URL", "Only link buttons may have a url."))
    else:
        problems.append(Problem((*path, "style"), "BASE_TYPE_CHOICES", f"Bad style {style!r}."))
    if style not in (6,) and not button.get("label") and not button.get("emoji"):
        problems.append(Problem(path, "BUTTON_EMPTY", "A button needs a label or an emoji."))
    return problems


def _check_select(path: tuple[str | int, ...], select: JSON) -> list[Problem]:
    problems = _custom_id((*path, "custom_id"), select.get("custom_id"))
    problems += _max_len((*path, "placeholder"), select.get("placeholder"), 150)
    if select.get("type") == 3:
        options = select.get("options") or []
        if not 1 <= len(options) <= MAX_CHOICES:
            problems.append(
                Problem((*path, "options"), "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 25.")
            )
        for number, option in enumerate(options):
            for key in ("label", "value", "description"):
                problems += _max_len((*path, "options", number, key), option.get(key), 100)
    return problems


def _walk_components(components: list[Any], path: tuple[str | int, ...]) -> Iterator[Any]:
    for index, item in enumerate(components):
        if isinstance(item, dict):
            yield (*path, index), item
            yield from _walk_components(item.get("components") or [], (*path, index, "components"))
            if isinstance(item.get("accessory"), dict):
                yield (*path, index, "accessory"), item["accessory"]


def check_components(components: Any, flags: int = 0) -> list[Problem]:
    if not isinstance(components, list):
        return []
    path: tuple[str | int, ...] = ("components",)
    problems: list[Problem] = []
    v2 = bool(flags & IS_COMPONENTS_V2)
    if not v2 and len(components) > MAX_ACTION_ROWS:
        problems.append(Problem(path, "BASE_TYPE_MAX_LENGTH", "Must be 5 or fewer in length."))
    seen: set[str] = set()
    count = 0
    for where, item in _walk_components(components, path):
        count += 1
        kind = item.get("type")
        if kind == 1:
            children = item.get("components") or []
            selects = [c for c in children if isinstance(c, dict) and c.get("type") in SELECT_TYPES]
            if not 1 <= len(children) <= MAX_ROW_BUTTONS:
                problems.append(
                    Problem(
                        (*where, "components"), "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 5."
                    )
                )
            if selects and len(children) > 1:
                problems.append(
                    Problem(where, "COMPONENT_LAYOUT_WIDTH_EXCEEDED", "A select fills its row.")
                )
        elif not v2 and len(where) == 2:
            problems.append(
                Problem(where, "COMPONENT_TYPE_INVALID", "Top-level components must be rows.")
            )
        if kind == 2:
            problems += _check_button(where, item)
        elif kind in SELECT_TYPES:
            problems += _check_select(where, item)
        custom_id = item.get("custom_id")
        if isinstance(custom_id, str) and kind in (2, *SELECT_TYPES):
            if custom_id in seen:
                problems.append(
                    Problem(
                        (*where, "custom_id"),
                        "COMPONENT_CUSTOM_ID_DUPLICATED",
                        "Component custom id cannot be duplicated",
                    )
                )
            seen.add(custom_id)
    if v2 and count > MAX_V2_COMPONENTS:
        problems.append(Problem(path, "BASE_TYPE_MAX_LENGTH", "Must be 40 or fewer components."))
    return problems


def check_message(body: JSON, *, files: int = 0, create: bool = True) -> list[Problem]:
    """Limits of a message body (create, edit, webhook execute, interaction callback data)."""
    problems: list[Problem] = []
    flags = int(body.get("flags") or 0)
    problems += _max_len(("content",), body.get("content"), MAX_CONTENT)
    problems += check_embeds(body.get("embeds"))
    problems += check_components(body.get("components"), flags)
    attachments = body.get("attachments")
    if isinstance(attachments, list) and len(attachments) > MAX_ATTACHMENTS:
        problems.append(Problem(("attachments",), "BASE_TYPE_MAX_LENGTH", "Must be 10 or fewer."))
    if files > MAX_ATTACHMENTS:
        problems.append(Problem(("files",), "BASE_TYPE_MAX_LENGTH", "Must be 10 or fewer files."))
    if flags & IS_COMPONENTS_V2 and (body.get("content") or body.get("embeds")):
        problems.append(
            Problem(("content",), "MESSAGE_CANNOT_USE_LEGACY_FIELDS_WITH_COMPONENTS_V2", "V2 only")
        )
    visible = ("content", "embeds", "components", "sticker_ids", "poll")
    if create and not files and not any(body.get(key) for key in visible):
        problems.append(Problem((), "EMPTY_MESSAGE", "Cannot send an empty message"))
    return problems


def check_choices(choices: Any) -> list[Problem]:
    path: tuple[str | int, ...] = ("data", "choices")
    if not isinstance(choices, list):
        return [Problem(path, "BASE_TYPE_REQUIRED", "This field is required")]
    problems: list[Problem] = []
    if len(choices) > MAX_CHOICES:
        problems.append(Problem(path, "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length."))
    for index, choice in enumerate(choices):
        name = choice.get("name") if isinstance(choice, dict) else None
        if not isinstance(name, str) or not 1 <= len(name) <= 100:
            problems.append(
                Problem((*path, index, "name"), "BASE_TYPE_BAD_LENGTH", "Must be 1-100 long.")
            )
        value = choice.get("value") if isinstance(choice, dict) else None
        problems += _max_len((*path, index, "value"), value, 100)
    return problems


def _check_options(options: Any, path: tuple[str | int, ...], depth: int) -> list[Problem]:
    if not isinstance(options, list):
        return []
    problems: list[Problem] = []
    if len(options) > MAX_COMMAND_OPTIONS:
        problems.append(Problem(path, "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length."))
    names: set[str] = set()
    optional_seen = False
    for index, option in enumerate(options):
        here = (*path, index)
        name = str(option.get("name", ""))
        if not _COMMAND_NAME_RE.match(name) or name != name.lower():
            problems.append(Problem((*here, "name"), "APPLICATION_COMMAND_INVALID_NAME", name))
        if name in names:
            problems.append(Problem((*here, "name"), "APPLICATION_COMMAND_DUPLICATE_NAME", name))
        names.add(name)
        description = option.get("description")
        if not isinstance(description, str) or not 1 <= len(description) <= 100:
            problems.append(
                Problem((*here, "description"), "BASE_TYPE_BAD_LENGTH", "Must be 1-100 long.")
            )
        if option.get("type") in (1, 2):
            if depth > (0 if option.get("type") == 2 else 1):
                problems.append(Problem(here, "APPLICATION_COMMAND_TOO_DEEP", "Bad nesting."))
            problems += _check_options(option.get("options"), (*here, "options"), depth + 1)
            continue
        if option.get("required"):
            if optional_seen:
                problems.append(
                    Problem(here, "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID", "Order.")
                )
        else:
            optional_seen = True
        choices = option.get("choices")
        if isinstance(choices, list) and len(choices) > MAX_CHOICES:
            problems.append(Problem((*here, "choices"), "BASE_TYPE_MAX_LENGTH", "25 or fewer."))
    return problems


def check_commands(commands: Any) -> list[Problem]:
    if not isinstance(commands, list):
        return [Problem((), "BASE_TYPE_ARRAY", "Must be an array.")]
    problems: list[Problem] = []
    seen: set[tuple[int, str]] = set()
    for index, command in enumerate(commands):
        kind = int(command.get("type") or 1)
        name = str(command.get("name", ""))
        if kind == 1:
            if not _COMMAND_NAME_RE.match(name) or name != name.lower():
                problems.append(Problem((index, "name"), "APPLICATION_COMMAND_INVALID_NAME", name))
            description = command.get("description")
            if not isinstance(description, str) or not 1 <= len(description) <= 100:
                problems.append(
                    Problem((index, "description"), "BASE_TYPE_BAD_LENGTH", "Must be 1-100 long.")
                )
        if (kind, name) in seen:
            problems.append(Problem((index, "name"), "APPLICATION_COMMANDS_DUPLICATE_NAME", name))
        seen.add((kind, name))
        problems += _check_options(command.get("options"), (index, "options"), 0)
    if sum(1 for kind, _ in seen if kind == 1) > MAX_GLOBAL_COMMANDS:
        problems.append(Problem((), "BASE_TYPE_MAX_LENGTH", "Must be 100 or fewer commands."))
    return problems


def errors_tree(problems: list[Problem]) -> JSON:
    """Discord's nested {"field": {"0": {"_errors": [...]}}} error object."""
    tree: JSON = {}
    for problem in problems:
        node = tree
        for part in problem.path:
            node = node.setdefault(str(part), {})
        node.setdefault("_errors", []).append({"code": problem.code, "message": problem.message})
    return tree


CHECKED_BODIES = 256


class DiscordApiSpec:
    """Path templates, methods and request schemas of the Discord OpenAPI document."""

    def __init__(self, document: JSON) -> None:
        self.document = document
        self.paths: dict[str, JSON] = document["paths"]
        self._routes: list[tuple[int, re.Pattern[str], str, list[str]]] = []
        for template in self.paths:
            segments = template.strip("/").split("/")
            names = [s[1:-1] for s in segments if s.startswith("{")]
            pattern = "/".join("([^/]+)" if s.startswith("{") else re.escape(s) for s in segments)
            literals = sum(1 for s in segments if not s.startswith("{"))
            self._routes.append((literals, re.compile(f"/{pattern}"), template, names))
        self._routes.sort(key=lambda route: -route[0])
        self._validators: dict[tuple[str, str], Any] = {}
        # Problems of bodies already checked, the most recent CHECKED_BODIES: every test that
        # starts the Discord adapter publishes the same slash commands, and checking those
        # against the schema took a second each time. The same body has the same problems.
        self._checked: OrderedDict[tuple[str, str, str], tuple[Problem, ...]] = OrderedDict()
        self._registry: Any = None
        if jsonschema is not None:
            resource = referencing.Resource(contents=document, specification=DRAFT202012)
            self._registry = referencing.Registry().with_resource(SPEC_URI, resource)

    @classmethod
    @functools.cache
    def load(cls, path: str) -> DiscordApiSpec:
        return cls(json.loads(Path(path).read_text(encoding="utf-8")))

    def match(self, path: str) -> RouteMatch | None:
        """The most literal template matching a raw (percent-encoded) path below /api/v10."""
        for _, regex, template, names in self._routes:
            found = regex.fullmatch(path)
            if found is not None:
                params = {n: unquote(v) for n, v in zip(names, found.groups(), strict=True)}
                methods = frozenset(m.upper() for m in self.paths[template] if m != "parameters")
                return RouteMatch(template, params, methods)
        return None

    def has_body(self, template: str, method: str) -> bool:
        operation = self.paths[template].get(method.lower()) or {}
        return "requestBody" in operation

    def validate_body(self, template: str, method: str, body: Any) -> list[Problem]:
        """Problems of a JSON body against the operation's application/json request schema."""
        if self._registry is None or body is None or not self.has_body(template, method):
            return []
        text = json.dumps(body, sort_keys=True, ensure_ascii=False)
        checked = (template, method.lower(), text)
        if (known := self._checked.get(checked)) is not None:
            self._checked.move_to_end(checked)
            return list(known)
        problems = self._schema_problems(template, method, body)
        self._checked[checked] = tuple(problems)
        if len(self._checked) > CHECKED_BODIES:
            self._checked.popitem(last=False)
        return problems

    def _schema_problems(self, template: str, method: str, body: Any) -> list[Problem]:
        key = (template, method.lower())
        validator = self._validators.get(key)
        if validator is None:
            pointer = template.replace("~", "~0").replace("/", "~1")
            schema = {
                "$ref": f"{SPEC_URI}#/paths/{pointer}/{method.lower()}"
                "/requestBody/content/application~1json/schema"
            }
            validator = jsonschema.Draft202012Validator(schema, registry=self._registry)
            self._validators[key] = validator
        problems: list[Problem] = []
        for error in validator.iter_errors(body):
            if _coercible(error):
                continue
            chosen = jsonschema.exceptions.best_match(error.context) if error.context else error
            chosen = chosen or error
            path = tuple(chosen.absolute_path)
            message = chosen.message if len(chosen.message) <= 200 else chosen.message[:197] + "..."
            problems.append(Problem(path, f"SCHEMA_{str(chosen.validator).upper()}", message))
        return problems


def _coercible(error: Any) -> bool:
    """Errors Discord does not make: numeric strings for integers and integers for snowflake
    strings (discord.py sends both); a oneOf/anyOf passes when one branch only has such."""
    if error.validator in ("oneOf", "anyOf") and error.context:
        branches: dict[Any, list[Any]] = {}
        for sub in error.context:
            branches.setdefault(sub.relative_schema_path[0], []).append(sub)
        return any(all(_coercible(sub) for sub in subs) for subs in branches.values())
    if error.validator != "type":
        return False
    expected = error.validator_value
    types = expected if isinstance(expected, list) else [expected]
    instance = error.instance
    if "integer" in types and isinstance(instance, str):
        return re.fullmatch(r"-?\d+", instance) is not None
    snowflake = error.schema.get("format") == "snowflake"
    return "string" in types and snowflake and type(instance) is int and instance >= 0


def merge_problems(explicit: list[Problem], schema: list[Problem]) -> list[Problem]:
    """Explicit limit problems first; schema problems only where no explicit one points."""
    taken = [p.path for p in explicit if p.path]
    extra = [
        p
        for p in schema
        if not any(p.path[: len(t)] == t or t[: len(p.path)] == p.path for t in taken)
    ]
    return explicit + extra
