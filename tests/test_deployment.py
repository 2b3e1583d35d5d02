"""The Dockerfile and compose.yaml say what the admin guide says they do.

No container engine runs here, so these read the files' structure; .ci/wheel-check proves
the wheel they install serves (docs/admin-guide.md, Containers).
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).parents[1]


def dockerfile() -> list[tuple[str, str]]:
    """(instruction, arguments) per instruction, continuation lines joined."""
    text = re.sub(r"\\\n\s*", " ", (ROOT / "Dockerfile").read_text())
    lines = [line.strip() for line in text.splitlines()]
    return [
        (line.split(maxsplit=1)[0].upper(), line.split(maxsplit=1)[1])
        for line in lines
        if line and not line.startswith("#")
    ]


def compose() -> dict[str, Any]:
    loaded = yaml.safe_load((ROOT / "compose.yaml").read_text())
    assert isinstance(loaded, dict)
    return loaded


def test_the_image_installs_the_wheel_on_a_slim_base_and_runs_as_a_non_root_user() -> None:
    steps = dockerfile()
    bases = [args.split()[0] for op, args in steps if op == "FROM"]
    assert bases and all(re.fullmatch(r"python:3\.11-slim", base) for base in bases)
    runs = [args for op, args in steps if op == "RUN"]
    assert any("python -m build --wheel" in run for run in runs)
    assert any(re.search(r"pip install .*govbot-\*\.whl", run) for run in runs)
    final = steps[max(i for i, (op, _) in enumerate(steps) if op == "FROM") :]
    users = [args for op, args in final if op == "USER"]
    assert users and users[-1] not in ("root", "0")
    assert [op for op, _ in final].index("USER") < [op for op, _ in final].index("CMD")


def test_the_image_checks_healthz_and_serves_http() -> None:
    steps = dict(dockerfile())
    assert "127.0.0.1:3000/healthz" in steps["HEALTHCHECK"]
    command = shlex.split(steps["CMD"].strip("[]").replace(",", " "))
    assert command[:3] == ["govbot", "serve", "--http"]
    assert command[command.index("--port") + 1] == "3000"


def test_compose_runs_postgresql_a_one_off_migration_and_the_bot_after_it() -> None:
    services = compose()["services"]
    assert set(services) == {"db", "migrate", "govbot"}
    assert services["db"]["image"].startswith("postgres:")
    assert "pg_isready" in " ".join(services["db"]["healthcheck"]["test"])

    migrate = services["migrate"]
    assert migrate["command"] == ["govbot", "db", "upgrade"]
    assert migrate["restart"] == "no"
    assert migrate["depends_on"]["db"]["condition"] == "service_healthy"

    bot = services["govbot"]
    assert bot["image"] == migrate["image"]
    assert bot["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    for service in (migrate, bot):
        assert re.fullmatch(
            r"postgresql://govbot:\$\{POSTGRES_PASSWORD:\?[^}]+\}@db:5432/govbot",
            service["environment"]["DATABASE_URL"],
        )
    assert bot["ports"] == ["127.0.0.1:3000:3000"], "published on the host's loopback only"
    assert "pgdata" in compose()["volumes"]


def test_compose_asks_for_every_secret_rather_than_holding_one() -> None:
    text = (ROOT / "compose.yaml").read_text()
    for secret in ("POSTGRES_PASSWORD", "SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET"):
        assert re.search(rf"\$\{{{secret}:\?", text), secret
    assert "xoxb-" not in text
