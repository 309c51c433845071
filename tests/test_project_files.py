"""Packaging metadata that a fresh `pip install` reads without warnings."""

from __future__ import annotations

import re
import tomllib

from bot.settings import PROJECT_ROOT


def test_the_license_is_an_spdx_expression_with_a_setuptools_that_reads_it() -> None:
    """A TOML table (`{ text = "MIT" }`) makes setuptools warn on every install."""
    project = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["project"]["license"] == "MIT"
    (setuptools,) = [r for r in project["build-system"]["requires"] if r.startswith("setuptools")]
    lowest = re.search(r">=\s*(\d+)", setuptools)
    assert lowest is not None and int(lowest.group(1)) >= 77, setuptools
