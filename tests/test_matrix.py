"""tools.matrix: JUnit XML -> per-case results -> counts, Markdown, HTML and JSON (no servers)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tools import matrix
from tools.matrix_render import as_json, html, markdown
from tools.matrix_results import NOT_AVAILABLE, TOTAL, Run, parse_junit, steady

JUNIT = """<?xml version="1.0" encoding="utf-8"?>
<testsuites name="pytest" tests="6" timestamp="{stamp}" hostname="vm">
<testsuite name="pytest" errors="1" failures="2" skipped="2" tests="6" time="{seconds}">
<testcase classname="suites.test_alerts" name="test_alerts[tls12-a]" time="{seconds}">
  <properties><property name="grade" value="strict"/>
  <property name="expected" value="a fatal error alert, then nothing but a close"/>
  <property name="observed"
    value="fatal alert decode_error(50) after ClientHello, then connection {close}"/>
  <property name="rfc" value="RFC 5246 7.2.2"/></properties></testcase>
<testcase classname="suites.test_alerts" name="test_alerts[tls13-b]" time="0.1">
  <properties><property name="grade" value="conceptual"/>
  <property name="observed" value="connection closed (FIN) after client Finished"/>
  <property name="rfc" value="RFC 8446 6.2"/></properties>
  <failure message="x: expected fatal alert decode_error(50) then close; observed connection
 closed (FIN) after client Finished [conceptual]">trace</failure></testcase>
<testcase classname="suites.test_versions" name="test_versions[tls12-c]" time="0.1">
  <properties><property name="grade" value="fail"/>
  <property name="observed"
    value="unparseable data (scapy could not parse it (Raw)): 0303{random}... after ClientHello"/>
  </properties><failure message="carried on">trace</failure></testcase>
<testcase classname="suites.test_versions" name="test_versions[tls12-d]" time="0.1">
  <error message="TypeError: unsupported operand">trace</error></testcase>
<testcase classname="suites.test_versions" name="test_versions[tls13-e]" time="0.1">
  <skipped type="pytest.skip" message="no TLS 1.3">skip</skipped></testcase>
<testcase classname="suites.test_client_auth" name="test_client_auth[tls12-f]" time="0.1">
  <properties><property name="grade" value="conceptual"/>
  <property name="expected" value="fatal alert unknown_ca(48) then close"/>
  <property name="observed"
    value="fatal alert bad_certificate(42) after client Finished"/></properties>
  <skipped type="pytest.xfail" message="known deviation (x, RFC 5246 7.2.2): reason">x</skipped>
</testcase>
</testsuite></testsuites>
"""


def write_junit(folder: Path, name: str = "run.xml", stamp: str = "2026-11-26T10:00:00",
                seconds: str = "1.5", close: str = "closed (FIN)", random: str = "ab") -> Path:
    path = folder / name
    path.write_text(JUNIT.format(stamp=stamp, seconds=seconds, close=close, random=random))
    return path


@pytest.fixture
def run(tmp_path: Path) -> Run:
    return Run("impl", cases=parse_junit(write_junit(tmp_path)))


def test_each_case_lands_in_one_column(run: Run):
    results = {case.case: (case.result, case.outcome) for case in run.cases}
    assert results == {
        "test_alerts[tls12-a]": ("strict", "passed"),
        "test_alerts[tls13-b]": ("conceptual", "failed"),
        "test_versions[tls12-c]": ("failed", "failed"),
        "test_versions[tls12-d]": ("failed", "error"),
        "test_versions[tls13-e]": ("skipped", "skipped"),
        "test_client_auth[tls12-f]": ("known-deviation", "xfailed"),
    }


def test_counts_per_topic_and_total(run: Run):
    counts = run.counts()
    assert counts["alerts"] == {"strict": 1, "conceptual": 1, "failed": 0, "skipped": 0,
                                "known-deviation": 0}
    assert counts["versions"] == {"strict": 0, "conceptual": 0, "failed": 2, "skipped": 1,
                                  "known-deviation": 0}
    assert counts["client_auth"]["known-deviation"] == 1
    assert counts[TOTAL] == {"strict": 1, "conceptual": 1, "failed": 2, "skipped": 1,
                             "known-deviation": 1}


def test_properties_and_expected_from_message(run: Run):
    by_name = {case.case: case for case in run.cases}
    first = by_name["test_alerts[tls12-a]"]
    assert (first.grade, first.rfc) == ("strict", "RFC 5246 7.2.2")
    assert first.expected == "a fatal error alert, then nothing but a close"
    # No "expected" property: taken from the failure message.
    assert by_name["test_alerts[tls13-b]"].expected == "fatal alert decode_error(50) then close"


def test_only_failures_and_errors_are_unexpected(tmp_path: Path, run: Run):
    assert run.unexpected
    clean = [c for c in run.cases if c.outcome in ("passed", "skipped", "xfailed")]
    assert not Run("impl", cases=clean).unexpected
    assert not Run("gone", NOT_AVAILABLE).unexpected


def test_not_available_is_reported_not_counted(run: Run):
    runs = [run, Run("absent", NOT_AVAILABLE)]
    table = markdown(runs)
    absent = next(line for line in table.splitlines() if line.startswith("| absent |"))
    assert "not available" in absent and "/" not in absent
    data = json.loads(as_json(runs))
    assert data["implementations"]["absent"] == {"status": "not available", "detail": "",
                                                 "counts": {}, "cases": {}}
    assert "not available" in html(runs)


def test_markdown_cells_in_legend_order(run: Run):
    row = next(line for line in markdown([run]).splitlines() if line.startswith("| impl |"))
    cells = [cell.strip() for cell in row.strip("|").split("|")]
    # topics sorted: alerts, client_auth, versions; then total and status
    assert cells == ["impl", "1 / 1 / 0 / 0 / 0", "0 / 0 / 0 / 0 / 1", "0 / 0 / 2 / 1 / 0",
                     "1 / 1 / 2 / 1 / 1", "unexpected failures"]


def test_json_is_stable_between_runs(tmp_path: Path):
    """Timestamps, durations, FIN/RST races and quoted random bytes do not reach the JSON."""
    first = write_junit(tmp_path, "a.xml")
    second = write_junit(tmp_path, "b.xml", stamp="2027-01-01T00:00:00", seconds="9.9",
                         close="reset (RST)", random="cd")
    texts = [as_json([Run("impl", cases=parse_junit(path))]) for path in (first, second)]
    assert texts[0] == texts[1]
    data = json.loads(texts[0])
    assert list(data["implementations"]["impl"]["cases"]) == sorted(
        data["implementations"]["impl"]["cases"])
    assert texts[0] == json.dumps(data, indent=2, sort_keys=True) + "\n"
    assert "2026" not in texts[0] and "1.5" not in texts[0]


def test_html_cells_link_to_case_details(run: Run):
    page = html([run, Run("absent", NOT_AVAILABLE)])
    links = set(re.findall(r'href="#([^"]+)"', page))
    sections = set(re.findall(r'<section id="([^"]+)"', page))
    assert links == sections == {"impl--alerts", "impl--client_auth", "impl--versions"}
    details = page[page.index('id="impl--alerts"'):page.index('id="impl--client_auth"')]
    assert "test_alerts[tls13-b]" in details
    assert "fatal alert decode_error(50) then close" in details  # expected
    assert "connection closed (FIN or RST) after client Finished" in details  # observed


def test_html_escapes_text(tmp_path: Path):
    path = write_junit(tmp_path)
    path.write_text(path.read_text().replace("reason", "&lt;script&gt;"))
    assert "<script>" not in html([Run("impl", cases=parse_junit(path))])


def test_steady_keeps_everything_else():
    text = "fatal alert x(1) (encrypted) after client Finished, then connection reset (RST)"
    assert steady(text) == ("fatal alert x(1) (encrypted) after client Finished, then "
                            "connection closed (FIN or RST)")
    assert steady("server completed the handshake (TLS 1.2)") == (
        "server completed the handshake (TLS 1.2)")


def test_main_reports_unavailable_and_fails_on_unexpected(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
):
    junit = write_junit(tmp_path)
    ran: list[str] = []

    def fake_run_one(name: str, out: Path, workers: int, target: str | None = None
                     ) -> tuple[Run, float]:
        ran.append(name)
        return Run(name, cases=parse_junit(junit)), 0.5

    monkeypatch.setattr(matrix, "availability", lambda: {"here": True, "absent": False})
    monkeypatch.setattr(matrix, "run_one", fake_run_one)
    out = tmp_path / "out"
    assert matrix.main(["--servers", "here,absent", "--out", str(out)]) == 1
    assert ran == ["here"]
    assert {p.name for p in out.iterdir()} >= {"matrix.md", "matrix.html", "matrix-grid.html",
                                               "matrix.json"}
    printed = capsys.readouterr().out
    assert "absent: not available" in printed
    assert json.loads((out / "matrix.json").read_text())["implementations"]["absent"][
        "status"] == "not available"


def test_main_passes_when_everything_is_expected(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    clean = [c for c in parse_junit(write_junit(tmp_path)) if not c.unexpected]
    monkeypatch.setattr(matrix, "availability", lambda: {"here": True, "absent": False})
    monkeypatch.setattr(matrix, "run_one",
                        lambda name, out, workers, target: (Run(name, cases=clean), 0))
    assert matrix.main(["--servers", "here,absent", "--out", str(tmp_path / "o")]) == 0


def test_main_refuses_unknown_names(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    monkeypatch.setattr(matrix, "availability", lambda: {"here": True})
    assert matrix.main(["--servers", "nope", "--out", str(tmp_path)]) == 2
