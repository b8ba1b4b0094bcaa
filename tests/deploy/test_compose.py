"""docker-compose.yml: what must hold for `docker compose up` to be the whole production set-up.

No container engine runs here, so the file is checked instead: Debian's docker-compose validates
it against the Compose specification (and interpolates .env the way `docker compose` does), and
the loaded YAML is held to the invariants below.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import unavailable

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = ROOT / "docker-compose.yml"
EXAMPLE = ROOT / ".env.production.example"
HABITLINK_SERVICES = {"migrate", "bot", "scheduler", "web"}
SECRET_NAME = re.compile(r"PASSWORD|SECRET|TOKEN|API_KEY|ACCESS_KEY")
INTERPOLATION = re.compile(r"^\$\{[A-Z_][A-Z0-9_]*(:?[-?][^}]*)?\}$")


def compose() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(COMPOSE.read_text())
    return loaded


def services() -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = compose()["services"]
    return found


def one_offs() -> set[str]:
    return {name for name, svc in services().items() if svc.get("restart") == "no"}


def depends_on(service: dict[str, Any]) -> dict[str, dict[str, str]]:
    deps = service.get("depends_on", {})
    assert isinstance(deps, dict), "depends_on must name a condition for each dependency"
    return deps


def test_the_stack_has_every_role() -> None:
    assert {"postgres", "redis", "minio", "createbucket", *HABITLINK_SERVICES} <= set(services())
    commands = {name: services()[name]["command"][0] for name in HABITLINK_SERVICES}
    assert commands == {"migrate": "migrate", "bot": "run", "scheduler": "scheduler", "web": "web"}
    images = {services()[name]["image"] for name in HABITLINK_SERVICES}
    assert len(images) == 1, "one image for every HabitLink role"


def test_every_service_is_healthchecked_or_a_one_off() -> None:
    for name, svc in services().items():
        if name in one_offs():
            continue
        check = svc.get("healthcheck")
        assert check and not check.get("disable") and check.get("test"), f"{name}: no healthcheck"


def test_one_offs_are_awaited_until_they_succeed() -> None:
    assert one_offs() == {"migrate", "createbucket"}
    awaited = {
        dep
        for svc in services().values()
        for dep, rule in depends_on(svc).items()
        if rule.get("condition") == "service_completed_successfully"
    }
    assert awaited == one_offs()


def test_app_services_wait_for_migrate_and_healthy_dependencies() -> None:
    for name in HABITLINK_SERVICES - {"migrate"}:
        deps = depends_on(services()[name])
        assert deps["migrate"] == {"condition": "service_completed_successfully"}, name
        assert deps["redis"] == {"condition": "service_healthy"}, name
    assert depends_on(services()["migrate"])["postgres"] == {"condition": "service_healthy"}
    for name, svc in services().items():
        for dep, rule in depends_on(svc).items():
            assert dep in services(), f"{name} depends on an unknown service {dep}"
            expected = "service_completed_successfully" if dep in one_offs() else "service_healthy"
            assert rule.get("condition") == expected, f"{name} -> {dep}"


def test_data_lives_in_named_volumes() -> None:
    declared = set(compose()["volumes"])
    used = set()
    for name, svc in services().items():
        for mount in svc.get("volumes", []):
            source = mount.split(":", 1)[0] if isinstance(mount, str) else mount["source"]
            assert source in declared, f"{name}: {source} is not a named volume"
            used.add(source)
    assert used == declared == {"pgdata", "redisdata", "miniodata"}


def _secret_values(node: Any, path: str = "") -> list[tuple[str, str]]:
    """Every environment value whose name says it is a secret, anywhere in the file."""
    found: list[tuple[str, str]] = []
    if isinstance(node, dict):
        for key, value in node.items():
            where = f"{path}.{key}"
            if isinstance(value, str | int) and SECRET_NAME.search(str(key)):
                found.append((where, str(value)))
            found.extend(_secret_values(value, where))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            found.extend(_secret_values(value, f"{path}[{i}]"))
    return found


def test_no_secret_is_written_in_the_file() -> None:
    secrets = _secret_values(compose())
    assert len(secrets) >= 5  # the passwords and the S3 keys are all passed on
    for where, value in secrets:
        assert INTERPOLATION.match(value), f"{where} holds a literal: {value!r}"
    for name, svc in services().items():
        url = svc.get("environment", {}).get("DATABASE_URL")
        if url is not None:
            password = re.match(r"postgresql://[^:]+:(.*)@", url)
            assert password and INTERPOLATION.match(password.group(1)), name
    for name in HABITLINK_SERVICES:
        assert services()[name]["env_file"] == ".env", name


def test_production_example_holds_no_secret_and_covers_the_required_variables() -> None:
    example = dict(
        line.split("=", 1)
        for line in EXAMPLE.read_text().splitlines()
        if line and not line.startswith("#")
    )
    required = set(re.findall(r"\$\{([A-Z_]+):\?", COMPOSE.read_text()))
    assert required == {"POSTGRES_PASSWORD", "MINIO_ROOT_PASSWORD"}
    for name in [*required, "SECRET_KEY", "TELEGRAM_BOT_TOKEN", "DISCORD_BOT_TOKEN"]:
        assert example[name] == "", f"{name} must be left for the operator to fill in"


# --- Debian's docker-compose: the Compose specification and .env interpolation --------------
def _compose_dir(tmp_path: Path, env: str) -> Path:
    for name in ("docker-compose.yml", "Dockerfile", ".dockerignore"):
        shutil.copy(ROOT / name, tmp_path / name)
    (tmp_path / ".env").write_text(env)
    return tmp_path


def _docker_compose(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    binary = shutil.which("docker-compose")
    if binary is None:
        unavailable("docker-compose", "not installed (make test installs it with apt-get)")
    assert binary is not None
    return subprocess.run(
        [binary, *args], cwd=cwd, capture_output=True, text=True, timeout=60, check=False
    )


def _filled_example() -> str:
    lines = []
    for line in EXAMPLE.read_text().splitlines():
        if line in ("SECRET_KEY=", "POSTGRES_PASSWORD=", "MINIO_ROOT_PASSWORD="):
            line += "s3cret-for-the-test"
        lines.append(line)
    return "\n".join(lines) + "\n"


def test_docker_compose_accepts_the_file(tmp_path: Path) -> None:
    result = _docker_compose(_compose_dir(tmp_path, _filled_example()), "config", "-q")
    assert result.returncode == 0, result.stderr
    resolved = _docker_compose(tmp_path, "config")
    assert resolved.returncode == 0, resolved.stderr
    config = yaml.safe_load(resolved.stdout)
    url = config["services"]["bot"]["environment"]["DATABASE_URL"]
    assert url == "postgresql://habitlink:s3cret-for-the-test@postgres:5432/habitlink"


@pytest.mark.parametrize("missing", ["POSTGRES_PASSWORD", "MINIO_ROOT_PASSWORD"])
def test_docker_compose_refuses_to_start_without_a_password(tmp_path: Path, missing: str) -> None:
    env = "\n".join(
        line for line in _filled_example().splitlines() if not line.startswith(f"{missing}=")
    )
    result = _docker_compose(_compose_dir(tmp_path, env), "config", "-q")
    assert result.returncode != 0
    assert f"set {missing} in .env" in result.stderr


def test_every_habitlink_command_in_the_file_is_one_habitlink_knows() -> None:
    from bot.cli import _parser

    parser = _parser()
    for name in HABITLINK_SERVICES:
        svc = services()[name]
        try:
            parser.parse_args(svc["command"])
        except SystemExit:  # argparse refuses it
            # `habitlink web` (the account API) comes with the web app, on its own branch.
            assert svc["command"] == ["web"], f"{name}: habitlink {svc['command']} is unknown"
        check = svc.get("healthcheck", {})
        if not check.get("disable"):
            assert check["test"][:2] == ["CMD", "habitlink"], name
            parser.parse_args(check["test"][2:])


def test_every_variable_of_the_example_is_a_setting_or_used_by_the_compose_file() -> None:
    from bot.config import Settings

    names = set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]+)=", EXAMPLE.read_text(), re.MULTILINE))
    interpolated = set(re.findall(r"\$\{([A-Z_][A-Z0-9_]*)", COMPOSE.read_text()))
    settings = {name.upper() for name in Settings.model_fields}
    assert names - settings - interpolated == set()
    assert {"POSTGRES_PASSWORD", "MINIO_ROOT_PASSWORD", "HABITLINK_IMAGE"} <= names
