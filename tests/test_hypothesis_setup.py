"""The property tests run with the same hypothesis settings on CI as on a developer's machine."""

from __future__ import annotations

import os
import subprocess
import sys

from bot.settings import PROJECT_ROOT

_SHOW = (
    "import tests.conftest; from hypothesis import settings; d = settings.default; "
    "print(d.derandomize, d.max_examples, d.database, d.deadline, d.print_blob)"
)


def _settings_seen(extra_env: dict[str, str]) -> str:
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "GITHUB_ACTIONS")}
    done = subprocess.run(
        [sys.executable, "-c", _SHOW],
        env={**env, **extra_env},
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return done.stdout.strip()


def test_ci_and_local_runs_use_the_same_settings() -> None:
    local = _settings_seen({})
    assert _settings_seen({"CI": "1"}) == local
    assert _settings_seen({"GITHUB_ACTIONS": "true"}) == local
    derandomize, examples, database, deadline, _ = local.split(" ", 4)
    assert derandomize == "False" and examples == "100" and deadline == "None"
    assert str(PROJECT_ROOT / ".hypothesis" / "examples") in database  # failures kept
