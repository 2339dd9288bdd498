"""The benchmark's logic (figures, medians, goals, JSON) and its timing plugin's marks.

No figure is measured here: speed is reported by ``python -m tools.benchmark``, never
asserted in a test.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tools import benchmark
from tools.benchmark_catalogue import Marks, catalogue_figures, parse_marks
from tools.benchmark_handshake import Figures, nearest_rank, pair
from tools.benchmark_startup import user_environment
from tools.timing_plugin import ENV

ROOT = Path(__file__).resolve().parent.parent


def conversation(engine_ms: float, ssl_ms: float) -> dict[str, object]:
    return pair([engine_ms / 1000] * 3, [ssl_ms / 1000] * 3)


def figures(first_n2: float = 1.0, per_s_n2: float = 120.0) -> benchmark.Tree:
    run = {"first_test_s": 0.8, "exit_after_last_test_s": 0.02,
           "exit_after_unconfigure_s": 0.01, "wall_s": 4.0, "rows_run": 400, "per_second": 100.0}
    return benchmark.derive({
        "handshake": {"tls12": conversation(3.0, 2.0), "tls12+client_cert": conversation(4.0, 2.0),
                      "tls13": conversation(2.0, 2.0), "tls13+client_cert": conversation(2.0, 2.0)},
        "negative": {"tls12": conversation(1.0, 2.0), "tls13": conversation(3.0, 2.0)},
        "startup": {"suite_collect_s": 0.9, "empty_collect_s": 0.5, "difference_s": 0.4},
        "catalogue": {"n0": dict(run),
                      "n2": {**run, "first_test_s": first_n2, "per_second": per_s_n2}},
    })


def test_figures_median_p90_minimum_in_milliseconds() -> None:
    f = Figures.of([0.004, 0.001, 0.002, 0.003, 0.010])
    assert (f.median, f.p90, f.minimum) == (3.0, 10.0, 1.0)
    assert nearest_rank([1.0, 2.0, 3.0, 4.0], 0.5) == 2.0
    assert pair([0.003], [0.002])["ratio"] == 1.5


def test_each_goal_is_judged_against_its_bound() -> None:
    verdicts = {v["figure"]: v for v in benchmark.judge(figures(), ["tls12", "tls13"])}
    assert verdicts["handshake.tls12.ratio"]["met"] is True  # 1.5 is at most 1.5
    assert verdicts["handshake.tls12+client_cert.ratio"]["met"] is False  # 2.0
    assert verdicts["negative.tls12.ratio"]["met"] is True
    assert verdicts["negative.tls13.ratio"]["met"] is False
    assert verdicts["startup.difference_s"]["met"] is False
    assert verdicts["first_test.difference_s"]["value"] == pytest.approx(0.2)
    assert verdicts["first_test.difference_s"]["met"] is True
    assert verdicts["catalogue.n0.exit_after_last_test_s"]["met"] is True
    assert verdicts["catalogue.speedup"]["value"] == 1.2
    assert verdicts["catalogue.speedup"]["met"] is True
    slower = {v["figure"]: v for v in benchmark.judge(figures(per_s_n2=100.0), ["tls12"])}
    assert slower["catalogue.speedup"]["met"] is False  # equal is not faster
    assert "handshake.tls13.ratio" not in slower


def test_a_figure_not_measured_is_not_judged() -> None:
    verdicts = benchmark.judge({"startup": {"difference_s": 0.1}}, ["tls12"])
    judged = {v["figure"]: v["met"] for v in verdicts}
    assert judged["startup.difference_s"] is True
    assert judged["handshake.tls12.ratio"] is None
    assert benchmark.mark(None) == "not measured"


def test_runs_combine_into_each_figures_median() -> None:
    runs = [figures(first_n2=f, per_s_n2=p) for f, p in ((1.0, 90.0), (3.0, 150.0), (2.0, 120))]
    merged = benchmark.median_tree(runs)
    assert merged["catalogue"]["n2"]["first_test_s"] == 2.0
    assert merged["catalogue"]["speedup"] == 1.2
    assert merged["catalogue"]["n0"]["rows_run"] == 400
    assert merged["handshake"]["tls12"]["engine"]["median"] == 3.0


def test_json_report_shape_and_tables(tmp_path: Path) -> None:
    args = benchmark.parse_args(["--runs", "2", "--json", str(tmp_path / "b.json")])
    result = benchmark.report(args, [figures(), figures()])
    written = json.loads(json.dumps(result))
    assert set(written) == {"machine", "settings", "figures", "goals", "runs"}
    assert {"platform", "cpus", "python", "openssl"} <= set(written["machine"])
    assert written["settings"]["runs"] == 2
    assert "PYTHONDONTWRITEBYTECODE" in written["settings"]["bytecode"]
    assert len(written["runs"]) == 2
    assert all({"goal", "figure", "value", "limit", "met"} <= set(g) for g in written["goals"])
    text = "\n".join(benchmark.tables(result["figures"], result["goals"]))
    for title in ("Full handshake", "Refused ClientHello", "Start-up", "Time to first test",
                  "Exit", "Conversations per second"):
        assert title in text
    assert "not met" in text and "  met" in text


def test_arguments_are_checked() -> None:
    with pytest.raises(SystemExit):
        benchmark.parse_args(["--versions", "tls11"])
    with pytest.raises(SystemExit):
        benchmark.parse_args(["--parts", "everything"])
    with pytest.raises(SystemExit):
        benchmark.parse_args(["--runs", "0"])
    assert isinstance(benchmark.parse_args([]), argparse.Namespace)


def test_marks_give_first_test_exit_and_throughput() -> None:
    text = ("first_setup 100.50 11\nfirst_setup 100.25 12\nlast_test_end 104.0 10\n"
            "counts 7 1 2 3 10\nunconfigure 104.5 10\n")
    marks = parse_marks(text)
    assert marks == Marks(first_setup=100.25, last_test_end=104.0, unconfigure=104.5,
                          passed=7, failed=1, xfailed=2, skipped=3)
    assert marks.rows_run == 10
    got = catalogue_figures(100.0, 105.0, marks)
    assert got["first_test_s"] == 0.25
    assert got["exit_after_last_test_s"] == 1.0
    assert got["exit_after_unconfigure_s"] == 0.5
    assert got["per_second"] == 2.0
    with pytest.raises(ValueError):
        parse_marks("first_setup 1.0 1\n")


def test_environment_keeps_bytecode_caching_on(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PYTHONDONTWRITEBYTECODE", "1")
    monkeypatch.setenv(ENV, "/elsewhere")
    env = user_environment({"X": "1"})
    assert "PYTHONDONTWRITEBYTECODE" not in env and env["X"] == "1" and ENV not in env


@pytest.mark.parametrize("workers", [[], ["-n", "2"]], ids=["in-process", "xdist"])
def test_timing_plugin_writes_one_mark_per_event(tmp_path: Path, workers: list[str]) -> None:
    """Workers share the file: each writes its first setup, the controller the rest, and
    every call is counted once."""
    (tmp_path / "test_two.py").write_text(
        "import pytest\n\n"
        "def test_passes() -> None:\n    pass\n\n"
        "@pytest.mark.xfail(strict=True)\ndef test_xfails() -> None:\n    assert False\n\n"
        "def test_skips() -> None:\n    pytest.skip('not here')\n")
    marks_file = tmp_path / "marks"
    env = {**os.environ, ENV: str(marks_file), "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-m", "pytest", str(tmp_path), "-q", "-p", "no:cacheprovider",
         "-p", "no:tlsconform.fixtures.plugin", "-p", "tools.timing_plugin", *workers],
        cwd=tmp_path, env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    lines = marks_file.read_text().splitlines()
    kinds = [line.split()[0] for line in lines]
    assert kinds[-3:] == ["last_test_end", "counts", "unconfigure"]
    assert 1 <= kinds.count("first_setup") <= (2 if workers else 1)
    assert all(len(line.split()) == 3 for line in lines if not line.startswith("counts"))
    marks = parse_marks(marks_file.read_text())
    assert (marks.passed, marks.failed, marks.xfailed, marks.skipped) == (1, 0, 1, 1)
    assert marks.first_setup <= marks.last_test_end <= marks.unconfigure


def test_timing_plugin_is_silent_without_its_variable(tmp_path: Path) -> None:
    (tmp_path / "test_one.py").write_text("def test_passes() -> None:\n    pass\n")
    env = {k: v for k, v in os.environ.items() if k != ENV}
    done = subprocess.run(
        [sys.executable, "-m", "pytest", str(tmp_path), "-q", "-p", "no:cacheprovider",
         "-p", "no:tlsconform.fixtures.plugin", "-p", "tools.timing_plugin"],
        cwd=tmp_path, env={**env, "PYTHONPATH": str(ROOT)}, capture_output=True, text=True,
        check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    written = {p.name for p in tmp_path.iterdir() if not p.name.startswith((".", "__"))}
    assert written == {"test_one.py"}
