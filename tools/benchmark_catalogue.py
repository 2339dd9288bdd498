"""Whole runs of the default catalogue for tools.benchmark: time to first test, exit, and
conversations per second, with ``-n 0`` and ``-n 2``.

Each sample is a fresh ``pytest suites --server embedded`` timed by wall clock from spawn
to exit, with bytecode caching on (see tools.benchmark_startup); the moments only the run
knows (first test's setup on any worker, last test's end, ``pytest_unconfigure``) and the
count of conversations come from ``tools.timing_plugin``.
"""

from __future__ import annotations

import statistics
import subprocess
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from tools.benchmark_startup import PYTEST, ROOT, SUITE_PLUGINS, user_environment
from tools.timing_plugin import ENV

CATALOGUE = [*PYTEST, *SUITE_PLUGINS, "suites", "--server", "embedded", "-q", "-p",
             "tools.timing_plugin"]
WORKERS = (0, 2)


@dataclass(frozen=True)
class Marks:
    """What tools.timing_plugin wrote during one run (times are ``time.time()``)."""

    first_setup: float
    last_test_end: float
    unconfigure: float
    passed: int
    failed: int
    xfailed: int
    skipped: int

    @property
    def rows_run(self) -> int:
        """Conversations played: every call that passed, failed or matched a deviation."""
        return self.passed + self.failed + self.xfailed


def parse_marks(text: str) -> Marks:
    """Read the plugin's file: the earliest first_setup of any process, the controller's
    other marks (the last of each, should a file ever hold two)."""
    firsts: list[float] = []
    values: dict[str, list[str]] = {}
    for line in text.splitlines():
        words = line.split()
        if not words:
            continue
        if words[0] == "first_setup":
            firsts.append(float(words[1]))
        else:
            values[words[0]] = words[1:-1]  # drop the pid
    missing = [k for k in ("last_test_end", "unconfigure", "counts") if k not in values]
    if not firsts or missing:
        raise ValueError(f"timing file lacks {missing or ['first_setup']}: {text!r}")
    passed, failed, xfailed, skipped = (int(v) for v in values["counts"])
    return Marks(first_setup=min(firsts), last_test_end=float(values["last_test_end"][0]),
                 unconfigure=float(values["unconfigure"][0]), passed=passed, failed=failed,
                 xfailed=xfailed, skipped=skipped)


def run_catalogue(workers: int, extra_args: Sequence[str] = ()) -> dict[str, float]:
    """One whole run of the default catalogue, timed from spawn to exit."""
    with tempfile.TemporaryDirectory(prefix="tlsconform-timing-") as tmp:
        marks_file = Path(tmp) / "marks"
        command = [*CATALOGUE, "-n", str(workers), *extra_args]
        env = user_environment({ENV: str(marks_file)})
        start = time.time()
        done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True,
                              check=False)
        end = time.time()
        if done.returncode not in (0, 1):  # 1: some row failed, still a whole run
            raise RuntimeError(f"{' '.join(command)} exited {done.returncode}:\n"
                               f"{done.stdout[-2000:]}{done.stderr[-2000:]}")
        marks = parse_marks(marks_file.read_text())
    return catalogue_figures(start, end, marks)


def catalogue_figures(start: float, end: float, marks: Marks) -> dict[str, float]:
    """Start, exit and throughput of one run from its spawn/exit times and its marks."""
    wall_s = end - start
    return {
        "first_test_s": round(marks.first_setup - start, 4),
        "exit_after_last_test_s": round(end - marks.last_test_end, 4),
        "exit_after_unconfigure_s": round(end - marks.unconfigure, 4),
        "wall_s": round(wall_s, 4),
        "rows_run": marks.rows_run,
        "per_second": round(marks.rows_run / wall_s, 2),
    }


def measure_catalogue(samples: int) -> dict[str, dict[str, float]]:
    """Median figures of ``-n 0`` and ``-n 2`` runs, alternated with the order flipping."""
    run_catalogue(0)  # untimed: writes the bytecode caches and warms the OS's file cache
    runs: dict[int, list[dict[str, float]]] = {w: [] for w in WORKERS}
    for i in range(samples):
        for workers in (WORKERS if i % 2 == 0 else WORKERS[::-1]):
            runs[workers].append(run_catalogue(workers))
    return {f"n{workers}": median_of(figures) for workers, figures in runs.items()}


def median_of(samples: list[dict[str, float]]) -> dict[str, float]:
    """Each figure's median over the samples (samples share their keys)."""
    return {key: round(statistics.median(s[key] for s in samples), 4) for key in samples[0]}
