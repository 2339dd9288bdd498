"""``--report DIR`` and the run header: what a run says it tested, report.json and
report.html of each case, the JUnit properties, and a bad --report refused before any
worker starts."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from tlsconform.certs import ensure_pki
from tlsconform.fixtures.reports import evidence_files
from tlsconform.fixtures.run_header import server_header
from tlsconform.fixtures.servers import LocalServer, ServerConfig, launch

ROOT = Path(__file__).resolve().parent.parent
USAGE = 4
JUNIT_FIELDS = ("grade", "level", "rfc", "requirement", "expected", "observed", "target")
FAULTY = ("suites/test_finished.py", "--server", "faulty", "--fault",
          "skip-finished-check-tls13", "-k", "bitflip-last-byte")
FAILING = "suites/test_finished.py::test_finished[tls13-bitflip-last-byte]"


def run(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-p", "no:randomly", *args],
        cwd=ROOT, capture_output=True, text=True, timeout=timeout)


def junit_cases(path: Path) -> dict[str, tuple[dict[str, str], ET.Element]]:
    """testcase name -> (its properties, the element)."""
    out = {}
    for case in ET.parse(path).getroot().iter("testcase"):
        props = {p.get("name", ""): p.get("value", "") for p in case.iter("property")}
        out[case.get("name", "")] = (props, case)
    return out


def load_report(directory: Path) -> dict[str, Any]:
    return json.loads((directory / "report.json").read_text())


@pytest.fixture(scope="module")
def faulty_run(tmp_path_factory: pytest.TempPathFactory
               ) -> tuple[subprocess.CompletedProcess[str], Path, Path]:
    """One failing and one passing Finished row under -n 2, with report and JUnit."""
    out = tmp_path_factory.mktemp("faulty")
    done = run(*FAULTY, "-n", "2", "-q", "--report", str(out / "R"),
               f"--junitxml={out / 'junit.xml'}", "--evidence", str(out / "E"))
    return done, out / "R", out / "junit.xml"


def test_report_json_has_the_header_and_the_failing_case(faulty_run: Any) -> None:
    done, report_dir, _ = faulty_run
    assert done.returncode == 1, done.stdout + done.stderr
    report = load_report(report_dir)
    header = report["header"]
    assert header["server_name"] == "localhost"
    assert header["deviations"][-1].endswith("suites/deviations/faulty.toml")
    assert header["pki"][0].startswith("local generated PKI under ")
    (target,) = [t for t in header["targets"] if t["role"] == "target"]
    (client,) = [t for t in header["targets"] if t["role"] == "client under test (client rows)"]
    assert client["address"] == "local embedded client"
    assert target["address"].startswith("local faulty server with fault "
                                        "skip-finished-check-tls13")
    # learned by the workers' capability probes, sent back to the controller
    assert target["versions"] == {"tls12": "completes", "tls13": "completes"}
    assert report["exit_status"] == 1
    cases = {case["id"]: case for case in report["cases"]}
    assert set(cases) == {FAILING, FAILING.replace("tls13", "tls12")}
    failed = cases[FAILING]
    assert failed["result"] == "failed" and failed["grade"] == "fail"
    assert failed["topics"] == ["finished"]
    assert failed["rfc"] == "RFC 8446 4.4.4" and failed["level"] == "MUST"
    assert "verify_data is wrong" in failed["requirement"]
    assert failed["expected"] == "fatal alert decrypt_error(51) then close"
    assert failed["observed"].startswith("server completed the handshake (TLS 1.3")
    assert "requirement (RFC 8446 4.4.4, MUST)" in failed["failure"]
    assert failed["target"] == "faulty"
    # --evidence's files of the failing case, relative to the report's directory
    assert sorted(Path(p).suffix for p in failed["evidence"]) == [".keys", ".pcap", ".txt"]
    assert all((report_dir / p).is_file() for p in failed["evidence"])
    assert failed["duration"] > 0
    passed = cases[FAILING.replace("tls13", "tls12")]
    assert passed["result"] == "passed" and passed["evidence"] == []


def test_report_html_is_self_contained_and_lists_the_failure(faulty_run: Any) -> None:
    html = (faulty_run[1] / "report.html").read_text()
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", html, re.IGNORECASE)
    assert "<link" not in html and "<script" not in html
    assert "<style>" in html
    assert "Failed (1)" in html and "test_finished[tls13-bitflip-last-byte]" in html
    assert "Recipients of Finished messages MUST verify" in html  # the RFC's sentence
    assert "server completed the handshake (TLS 1.3" in html  # observed
    assert "<th>finished</th>" in html  # the summary by topic
    assert 'href="../E/' in html  # evidence links, relative


def test_junit_carries_every_field(faulty_run: Any) -> None:
    cases = junit_cases(faulty_run[2])
    for name, (props, _) in cases.items():
        assert all(props.get(key) for key in JUNIT_FIELDS), (name, props)
    assert cases["test_finished[tls13-bitflip-last-byte]"][0]["result"] == "failed"


def test_a_passing_run_with_server_certificate_checks(tmp_path: Path) -> None:
    done = run("suites/test_finished.py", "suites/test_server_certificate.py", "-q",
               "--server", "embedded", "-k", "tls13-bitflip-last-byte or tls13-leaf-first",
               "--report", str(tmp_path / "R"), f"--junitxml={tmp_path / 'junit.xml'}")
    assert done.returncode == 0, done.stdout + done.stderr
    # -q hides pytest's header, not the run's
    assert "target: local embedded server" in done.stdout
    assert "  implementation: CPython ssl (" in done.stdout
    report = load_report(tmp_path / "R")
    assert [case["result"] for case in report["cases"]] == ["passed", "passed"]
    chain = next(c for c in report["cases"] if "leaf-first" in c["id"])
    assert chain["topics"] == ["server_certificate"] and chain["rfc"] == "RFC 8446 4.4.2"
    assert "No case failed." in (tmp_path / "R" / "report.html").read_text()
    for name, (props, _) in junit_cases(tmp_path / "junit.xml").items():
        assert all(props.get(key) for key in JUNIT_FIELDS), (name, props)


@pytest.mark.skipif(shutil.which("gnutls-serv") is None, reason="needs gnutls-bin")
def test_junit_tells_a_known_deviation_from_a_skip(tmp_path: Path) -> None:
    deviating = "test_alert_protocol[tls12-close-notify-instead-of-finished]"
    done = run("suites/test_alert_protocol.py", "-q", "--server", "gnutls",
               "-k", "tls12-close-notify-instead-of-finished",
               f"--junitxml={tmp_path / 'junit.xml'}", "--report", str(tmp_path / "R"))
    assert done.returncode == 0, done.stdout + done.stderr
    cases = junit_cases(tmp_path / "junit.xml")
    props, element = cases[deviating]
    assert element.find("skipped").get("type") == "pytest.xfail"
    assert props["result"] == "known deviation"
    assert props["deviation"].startswith("gnutls.toml, RFC 5246 7.2.1: ")
    assert all(props.get(key) for key in JUNIT_FIELDS)
    entry = next(c for c in load_report(tmp_path / "R")["cases"] if deviating in c["id"])
    assert entry["result"] == "known deviation" and entry["deviation"] == props["deviation"]


def test_a_skipped_row_says_skipped_and_its_rule(tmp_path: Path) -> None:
    done = run("suites/test_client_auth.py", "-q", "--server", "tlslite-ng",
               "-k", "tls13-empty-certificate", f"--junitxml={tmp_path / 'junit.xml'}",
               "--report", str(tmp_path / "R"))
    assert done.returncode == 0, done.stdout + done.stderr
    props, element = junit_cases(tmp_path / "junit.xml")[
        "test_client_auth[tls13-empty-certificate]"]
    assert element.find("skipped").get("type") == "pytest.skip"
    assert props["result"] == "skipped" and "deviation" not in props
    assert props["rfc"] == "RFC 8446 4.4.2.4" and props["requirement"]
    (entry,) = load_report(tmp_path / "R")["cases"]
    assert entry["result"] == "skipped" and "tlslite-ng" in entry["skip_reason"]


@pytest.fixture(scope="module")
def embedded() -> Iterator[LocalServer]:
    with launch("embedded", ensure_pki(), ServerConfig()) as server:
        yield server


def test_the_header_of_a_remote_target_says_what_the_probe_found(
        embedded: LocalServer, tmp_path: Path) -> None:
    address = f"{embedded.host}:{embedded.port}"
    done = run("suites/test_server_certificate.py", "-k", "tls13-leaf-first", "--target",
               address, "--sni", "localhost", "--report", str(tmp_path / "R"))
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"target: {address}\n" in done.stdout
    assert ("  versions (plain handshake per version, on the controller): tls12 completes, "
            "tls13 completes") in done.stdout
    assert "PKI: no --ca-file: the server's chain is not validated" in done.stdout
    # no server's file for a remote target; the embedded client's, for the client rows
    (line,) = [x for x in done.stdout.splitlines() if x.startswith("deviations: ")]
    assert line.endswith("suites/clients/deviations/embedded.toml"), line
    (target,) = [t for t in load_report(tmp_path / "R")["header"]["targets"]
                 if t["role"] == "target"]
    assert target["versions"] == {"tls12": "completes", "tls13": "completes"}


@pytest.mark.parametrize("where", ["file", "file/below"])
def test_a_bad_report_dir_is_one_usage_error_before_workers_start(
        tmp_path: Path, where: str) -> None:
    (tmp_path / "file").write_text("")
    done = run("suites/test_finished.py", "-n", "2", "--report", str(tmp_path / where))
    assert done.returncode == USAGE
    assert "argument --report" in done.stderr
    assert done.stderr.count("error:") == 1
    assert "workers" not in done.stdout + done.stderr


def test_server_header_names_the_implementation() -> None:
    assert server_header(b"HTTP/1.1 200 OK\r\nserver: lighttpd/1.4.69\r\n\r\nhi") == \
        "Server: lighttpd/1.4.69"
    gnutls = b"HTTP/1.0 200 OK\r\n\r\n<HTML><H1>This is <a href='x'>GnuTLS</a></H1>"
    assert server_header(gnutls) == "page h1 'This is GnuTLS'"
    assert server_header(b"hello") is None  # not HTTP: no claim
    assert server_header(b"HTTP/1.0 200 OK\r\n\r\nplain text") is None


def test_evidence_files_are_matched_to_their_case(tmp_path: Path) -> None:
    nodeid = "suites/test_finished.py::test_finished[tls13-bitflip-last-byte]"
    for suffix in ("pcap", "keys", "txt"):
        (tmp_path / f"suites_test_finished.py__test_finished_tls13-bitflip-last-byte_.{suffix}"
         ).write_text("")
    (tmp_path / "test_finished_tls12-bitflip-last-byte_.pcap").write_text("")
    config = SimpleNamespace(getoption=lambda name, default=None: str(tmp_path))
    found = evidence_files(config, [nodeid, nodeid.replace("tls13", "tls12"), "other::x"])
    assert sorted(Path(p).suffix for p in found[nodeid]) == [".keys", ".pcap", ".txt"]
    assert len(found[nodeid.replace("tls13", "tls12")]) == 1
    assert "other::x" not in found


def test_a_failing_row_with_a_hint_shows_it() -> None:
    """The failure text ends with what to fix, where the row knows it (issue 12, item 1)."""
    from tlsconform.fixtures.conformance import failure_text
    from tlsconform.scenario import Case
    from tlsconform.verdict.expect import Grade, Verdict
    from tlsconform.verdict.levels import Result

    case = Case(id="tls13-x", rfc=("8446", "4.4.4"), requirement="r", version="tls13",
                sentence="s", hint="verify the Finished")
    failed = Verdict(Grade.fail, "fatal alert decrypt_error(51) then close", "completed")
    text = failure_text("t", case, failed, Result.failed)
    assert text.splitlines()[-1] == "  hint: verify the Finished"
    passed = Verdict(Grade.strict, "x", "x")
    assert "hint" not in failure_text("t", case, passed, Result.passed)
