"""Start-up for tools.benchmark: ``pytest suites --collect-only`` against pytest's own.

Users pay start-up on every CI run and it does not show inside one process, so each sample
is a fresh ``python -m pytest`` timed by wall clock from here. The subprocesses run with
bytecode caching as a user has it: ``PYTHONDONTWRITEBYTECODE`` (set by tox and maybe by
the caller) is removed from their environment, and every command runs once untimed first
so the caches exist. Plugins the environment happens to have installed (hypothesis,
pytest-benchmark ...) are switched off (``PYTEST_DISABLE_PLUGIN_AUTOLOAD``) and the suite's
own are named with ``-p``, as a venv with only the suite would have them: measured here,
hypothesis's terminal summary alone added 0.19 s to every run's exit.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from tools.timing_plugin import ENV

ROOT = Path(__file__).resolve().parent.parent
PYTEST = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider"]
SUITE_PLUGINS = ["-p", "tlsconform.fixtures.plugin", "-p", "xdist.plugin"]
SUITE_COLLECT = [*PYTEST, *SUITE_PLUGINS, "suites", "--collect-only", "-q"]
EMPTY_COLLECT = [*PYTEST, "--collect-only", "-q"]
TRIVIAL_TEST = "def test_trivial() -> None:\n    assert True\n"
BYTECODE_NOTE = "bytecode caching on (PYTHONDONTWRITEBYTECODE removed from the subprocesses)"


def user_environment(extra: dict[str, str] | None = None) -> dict[str, str]:
    """This process's environment as a user's shell would have it, plus ``extra``."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.pop(ENV, None)
    return {**env, "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1", **(extra or {})}


def wall(command: Sequence[str], cwd: Path, env: dict[str, str] | None = None) -> float:
    """Seconds from spawning ``command`` to its exit; a failure is an error, not a figure."""
    start = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, env=env or user_environment(),
                          capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} exited {done.returncode}:\n"
                           f"{done.stdout[-2000:]}{done.stderr[-2000:]}")
    return elapsed


def measure_collect(samples: int) -> dict[str, float]:
    """Median collect-only of the catalogue against pytest's own on a one-test folder."""
    with tempfile.TemporaryDirectory(prefix="tlsconform-empty-") as tmp:
        empty = Path(tmp)
        (empty / "test_trivial.py").write_text(TRIVIAL_TEST)
        empty_collect = [*EMPTY_COLLECT, str(empty)]
        wall(SUITE_COLLECT, ROOT)
        wall(empty_collect, empty)
        suite_s: list[float] = []
        empty_s: list[float] = []
        for i in range(samples):
            first, second = (SUITE_COLLECT, ROOT), (empty_collect, empty)
            order = [first, second] if i % 2 == 0 else [second, first]
            for command, cwd in order:
                (suite_s if command is SUITE_COLLECT else empty_s).append(wall(command, cwd))
    suite, pytest_own = statistics.median(suite_s), statistics.median(empty_s)
    return {"suite_collect_s": round(suite, 4), "empty_collect_s": round(pytest_own, 4),
            "difference_s": round(suite - pytest_own, 4)}
