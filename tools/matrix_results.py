"""Per-case results of one implementation's run, read from pytest's JUnit XML, and their counts.

Each case lands in exactly one column, so a row adds up to the catalogue:

- ``strict``: passed (the RFC's own behaviour);
- ``conceptual``: graded conceptual (aborted, but not as the RFC says) and not recorded as a
  known deviation: an unexpected failure unless the run accepted conceptual grades;
- ``failed``: any other failure or error (carried on, silent, unreadable, crashed);
- ``skipped``: skipped (capability probe, unsupported configuration, missing option);
- ``known-deviation``: xfailed, i.e. behaving exactly as its deviations file records.

Observed texts are kept as the suite wrote them except for three details that change from
run to run for reasons outside the implementation, so the matrix diffs cleanly: whether a
close arrived as FIN or RST (RST when the kernel still held unread bytes of ours, a race),
the bytes quoted from an unparseable record (they carry the server's random), and whether
our request had left after the last handshake message when the server's answer arrived
("after client Finished and ApplicationData" reads "after client Finished").
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import asdict, dataclass, field
from pathlib import Path

RESULTS = ("strict", "conceptual", "failed", "skipped", "known-deviation")
RAN, NOT_AVAILABLE, ERROR = "ran", "not available", "error"
SERVER, CLIENT = "server", "client"
"""A run's role: a server under the catalogue (``suites``), or a client under the client
rows (``suites/clients``, the suite acting as the server)."""
TOTAL = "total"
MOSTLY_SKIPPED = "mostly-skipped"
_EXPECTED_IN_MESSAGE = re.compile(r"expected (.+?); observed ")
_CLOSE = re.compile(r"connection (?:closed \(FIN\)|reset \(RST\))")
_QUOTED_BYTES = re.compile(r"(unparseable data \(.*?\)): [0-9a-f]+(?:\.\.\.)?")
_REQUEST_RACE = re.compile(r"(after [^,;]*?) and ApplicationData(?=[,;)]|$)")


@dataclass(frozen=True)
class CaseResult:
    case: str  # test name with its parameter ID, e.g. "test_alerts[tls12-...]"
    topic: str  # the suite file, e.g. "alerts" for suites/test_alerts.py
    result: str  # one of RESULTS
    outcome: str  # pytest's: passed, failed, error, skipped, xfailed
    grade: str = ""
    expected: str = ""
    observed: str = ""
    rfc: str = ""
    message: str = ""

    @property
    def unexpected(self) -> bool:
        """A failure nobody recorded: what makes the matrix exit non-zero."""
        return self.outcome in ("failed", "error")

    def as_json(self) -> dict[str, str]:
        data = asdict(self)
        del data["case"]
        return data


@dataclass
class Run:
    """One implementation's row: whether it ran, and every case's result if it did."""

    implementation: str
    status: str = RAN
    detail: str = ""  # why it did not run, or how pytest ended
    cases: list[CaseResult] = field(default_factory=list)
    role: str = SERVER  # SERVER or CLIENT: a client's row goes in the clients' table

    @property
    def unexpected(self) -> bool:
        return self.status == ERROR or any(case.unexpected for case in self.cases)

    def counts(self) -> dict[str, dict[str, int]]:
        """Per topic (and ``total``): how many cases fell in each of RESULTS."""
        table: dict[str, dict[str, int]] = {TOTAL: dict.fromkeys(RESULTS, 0)}
        for case in self.cases:
            table.setdefault(case.topic, dict.fromkeys(RESULTS, 0))[case.result] += 1
            table[TOTAL][case.result] += 1
        return table


def by_role(runs: list[Run], role: str) -> list[Run]:
    """The runs of one role, in matrix order."""
    return [run for run in runs if run.role == role]


def mostly_skipped(counts: dict[str, int]) -> bool:
    """Fewer cases ran than skipped: such a row or cell proves little, so it must not look ok."""
    ran = sum(counts[result] for result in RESULTS if result != "skipped")
    return ran < counts["skipped"]


def verdict_class(counts: dict[str, int]) -> str:
    """How a count cell looks: any unrecorded failure is bad; then mostly skips; else good."""
    if counts["conceptual"] + counts["failed"] > 0:
        return "bad"
    return MOSTLY_SKIPPED if mostly_skipped(counts) else "good"


def topic_of(classname: str) -> str:
    """``suites.test_client_auth`` -> ``client_auth``: one topic per suite file."""
    module = classname.rsplit(".", 1)[-1]
    return module.removeprefix("test_")


def parse_junit(path: Path) -> list[CaseResult]:
    """Every test case in a pytest JUnit XML file, sorted by topic and name."""
    root = ET.parse(path).getroot()
    cases = [_case(element) for element in root.iter("testcase")]
    return sorted(cases, key=lambda c: (c.topic, c.case))


def _case(element: ET.Element) -> CaseResult:
    props = {p.get("name", ""): p.get("value", "") for p in element.iter("property")}
    grade = props.get("grade", "")
    outcome, message = "passed", ""
    for child in element:
        if child.tag == "properties":
            continue
        message = child.get("message", "")
        if child.tag == "skipped":
            outcome = "xfailed" if child.get("type") == "pytest.xfail" else "skipped"
        elif child.tag in ("failure", "error"):
            outcome = "failed" if child.tag == "failure" else "error"
    expected = props.get("expected", "")
    if not expected and (found := _EXPECTED_IN_MESSAGE.search(message)):
        expected = found.group(1)
    return CaseResult(
        case=element.get("name", ""), topic=topic_of(element.get("classname", "")),
        result=_result(outcome, grade), outcome=outcome, grade=grade, expected=expected,
        observed=steady(props.get("observed", "")), rfc=props.get("rfc", ""),
        message=steady(message))


def steady(text: str) -> str:
    """``text`` without the details that vary between identical runs (see the module doc)."""
    text = _CLOSE.sub("connection closed (FIN or RST)", text)
    text = _REQUEST_RACE.sub(r"\1", text)
    return _QUOTED_BYTES.sub(r"\1", text)


def _result(outcome: str, grade: str) -> str:
    if outcome == "xfailed":
        return "known-deviation"
    if outcome == "skipped":
        return "skipped"
    if grade == "conceptual":
        return "conceptual"
    return "strict" if outcome == "passed" else "failed"
