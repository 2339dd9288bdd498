"""Wall-clock marks of a pytest run, for tools.benchmark (loaded with ``-p tools.timing_plugin``).

The benchmark times whole processes from outside; only the process itself knows when its
first test started and when its last one ended. Each mark is one line appended, with a
single ``os.write`` on an ``O_APPEND`` descriptor, to the file that ``TLSCONFORM_TIMING_FILE``
names, so xdist workers and the controller can share it:

    first_setup <time.time()> <pid>     each process's first pytest_runtest_setup
    last_test_end <time.time()> <pid>   the controller's last teardown report
    counts <passed> <failed> <xfailed> <skipped> <pid>   the controller's call reports
    unconfigure <time.time()> <pid>     the controller's pytest_unconfigure

Without the variable the plugin does nothing.
"""

from __future__ import annotations

import os
import time

import pytest

ENV = "TLSCONFORM_TIMING_FILE"

_first_setup_done = False
_last_test_end: float | None = None
_counts = {"passed": 0, "failed": 0, "xfailed": 0, "skipped": 0}
_CONFIG: dict[str, pytest.Config] = {}


def _mark(line: str) -> None:
    path = os.environ.get(ENV)
    if not path:
        return
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(fd, f"{line} {os.getpid()}\n".encode())
    finally:
        os.close(fd)


def _is_worker(config: pytest.Config) -> bool:
    return hasattr(config, "workerinput")


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    global _first_setup_done
    if not _first_setup_done:
        _first_setup_done = True
        _mark(f"first_setup {time.time():.6f}")


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    """On the controller (or with -n 0), count conversations and note the last test end.

    Workers report too, and xdist replays their reports on the controller: counting only
    where there is no ``workerinput`` counts each test once.
    """
    global _last_test_end
    config = _CONFIG.get("config")
    if config is not None and _is_worker(config):
        return
    if report.when == "teardown":
        _last_test_end = time.time()
    if report.when != "call":
        return
    if hasattr(report, "wasxfail"):
        _counts["xfailed" if report.skipped else "passed"] += 1
    elif report.outcome in _counts:
        _counts[report.outcome] += 1


def pytest_configure(config: pytest.Config) -> None:
    _CONFIG["config"] = config


@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config: pytest.Config) -> None:
    if _is_worker(config):
        return
    if _last_test_end is not None:
        _mark(f"last_test_end {_last_test_end:.6f}")
    c = _counts
    _mark(f"counts {c['passed']} {c['failed']} {c['xfailed']} {c['skipped']}")
    _mark(f"unconfigure {time.time():.6f}")
