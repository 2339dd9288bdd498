"""tools.matrix: JUnit XML -> per-case results -> counts, grid, header, Markdown, HTML and JSON;
remote targets; clients under the client rows in tables of their own (no servers, no clients,
no catalogue run)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tools import implementation_versions as versions
from tools import matrix
from tools.matrix_grid import NOT_RUN, grid, grid_html
from tools.matrix_header import Header, make_header, with_identities
from tools.matrix_render import as_json, html, markdown, status_text
from tools.matrix_results import (
    CLIENT,
    MOSTLY_SKIPPED,
    NOT_AVAILABLE,
    TOTAL,
    CaseResult,
    Run,
    mostly_skipped,
    parse_junit,
    steady,
    verdict_class,
)

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


DEFAULT_CLIENTS = matrix.default_clients


@pytest.fixture(autouse=True)
def no_local_clients(monkeypatch: pytest.MonkeyPatch) -> None:
    """main() never starts a real client here: none by default, each test names its own."""
    monkeypatch.setattr(matrix, "default_clients", lambda: [])


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
    # whether our request had left when the alert arrived is a race: only a trailing one goes
    assert steady("alert x after client Finished and ApplicationData, then y") == (
        "alert x after client Finished, then y")
    assert steady("alert x after client Finished and ApplicationData and KeyUpdate") == (
        "alert x after client Finished and ApplicationData and KeyUpdate")
    assert steady("alert x after ApplicationData") == "alert x after ApplicationData"


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


# --- the grid, the header, mostly skipped, remote targets ---------------------------------

HEADER = Header("0.1.0", "2026-11-26T10:00:00+00:00",
                {"impl": "OpenSSL 3.0.19", "absent": "unknown (not installed)"})


def skip_only(tmp_path: Path) -> Run:
    """A run where one case ran and two skipped: fewer ran than skipped."""
    path = tmp_path / "skips.xml"
    path.write_text(JUNIT.format(stamp="x", seconds="1", close="closed (FIN)", random="ab"))
    cases = [c for c in parse_junit(path) if c.result in ("strict", "skipped")]
    extra = CaseResult("test_alerts[tls13-z]", "alerts", "skipped", "skipped",
                       message="no TLS 1.3")
    return Run("skippy", cases=[*cases, extra])


def test_grid_has_a_row_per_case_grouped_by_topic(run: Run):
    table = grid([run, Run("absent", NOT_AVAILABLE)])
    assert list(table) == ["alerts", "client_auth", "versions"]
    assert table["versions"]["test_versions[tls12-c]"] == {"impl": "failed", "absent": NOT_RUN}
    assert table["client_auth"]["test_client_auth[tls12-f]"]["impl"] == "known-deviation"
    assert sum(len(cases) for cases in table.values()) == len(run.cases)


def test_grid_html_colours_each_cell_and_titles_it(run: Run):
    page = grid_html([run, Run("absent", NOT_AVAILABLE)], HEADER)
    cells = re.findall(r'<td class="g g-([a-z-]+)" title="([^"]*)">', page)
    assert len(cells) == 2 * len(run.cases)
    assert {grade for grade, _ in cells} == {"strict", "conceptual", "failed", "skipped",
                                             "known-deviation", NOT_RUN}
    titles = dict((t.split(":")[0], t) for g, t in cells if g == "conceptual")
    assert "observed: connection closed (FIN or RST) after client Finished" in titles["impl"]
    assert "expected: fatal alert decode_error(50) then close" in titles["impl"]
    assert "absent: not run (not available)" in page
    assert "no TLS 1.3" in page  # a skip's title says why
    # rows are grouped: each topic row comes before its cases
    assert page.index('id="grid--alerts"') < page.index("test_alerts[tls12-a]") < page.index(
        'id="grid--client_auth"') < page.index("test_client_auth[tls12-f]")


def test_grid_html_is_self_contained(run: Run):
    page = grid_html([run], HEADER)
    assert "<style>" in page and "<script" not in page
    assert not re.search(r'(src|href)="(https?:)?//', page)


def test_grid_html_escapes_text(tmp_path: Path):
    path = write_junit(tmp_path)
    path.write_text(path.read_text().replace("no TLS 1.3", "&lt;b onmouseover=x&gt;"))
    page = grid_html([Run("impl", cases=parse_junit(path))])
    assert "<b onmouseover" not in page and "&lt;b onmouseover=x&gt;" in page


def test_mostly_skipped_is_its_own_style_not_green(tmp_path: Path, run: Run):
    skippy = skip_only(tmp_path)
    counts = skippy.counts()
    assert mostly_skipped(counts[TOTAL]) and mostly_skipped(counts["versions"])
    assert verdict_class(counts[TOTAL]) == MOSTLY_SKIPPED
    assert verdict_class(counts["alerts"]) == "good"  # 1 ran, 1 skipped: as many
    assert verdict_class({"strict": 2, "conceptual": 0, "failed": 0, "skipped": 2,
                          "known-deviation": 0}) == "good"  # as many ran as skipped
    assert verdict_class(run.counts()["versions"]) == "bad"  # failures win over skips
    topic_view = html([skippy])
    row = next(line for line in topic_view.splitlines() if line.startswith("<tr><th>skippy"))
    # alerts good; versions, total and status striped
    assert re.findall(r'<td class="([a-z-]+)"', row) == ["good", *[MOSTLY_SKIPPED] * 3]
    assert status_text(skippy) == "mostly skipped"
    assert "(mostly skipped)" in markdown([skippy])
    page = grid_html([skippy])
    assert f'<th class="{MOSTLY_SKIPPED}"' in page  # the implementation's column
    assert f'<td class="{MOSTLY_SKIPPED}"' in page  # its topic cells
    assert f'<th class="{MOSTLY_SKIPPED}"' not in grid_html([run])


def test_header_says_versions_date_and_suite(run: Run):
    for text in (markdown([run], HEADER), html([run], HEADER), grid_html([run], HEADER)):
        assert "tlsconform 0.1.0" in text and "2026-11-26T10:00:00+00:00" in text
        assert "OpenSSL 3.0.19" in text and "unknown (not installed)" in text
    data = json.loads(as_json([run], HEADER))
    assert data["header"]["versions"]["impl"] == "OpenSSL 3.0.19"


def test_run_date_reaches_the_header_only(run: Run):
    """Two runs of the same behaviour on different days differ in the header line alone."""
    later = Header(HEADER.suite, "2027-01-02T03:04:05+00:00", HEADER.versions)
    for render in (markdown, html, grid_html):
        first = render([run], HEADER).splitlines()
        second = render([run], later).splitlines()
        changed = [a for a, b in zip(first, second, strict=True) if a != b]
        assert len(changed) == 1 and "2026-11-26T10:00:00" in changed[0]
    first, second = (json.loads(as_json([run], h)) for h in (HEADER, later))
    first.pop("header"), second.pop("header")
    assert first == second


def test_versions_are_strings_or_a_clear_unknown(monkeypatch: pytest.MonkeyPatch):
    for name in (*versions.DISCOVERERS, "no-such-implementation"):
        text = versions.implementation_version(name)
        assert isinstance(text, str) and text
    assert versions.implementation_version("no-such-implementation").startswith("unknown (")
    assert "Python " in versions.implementation_version("embedded")
    # a tool that is missing or breaks gives "unknown (why)", never an exception
    monkeypatch.setattr(versions, "command_output", lambda argv: None)
    assert versions.implementation_version("openssl").startswith("unknown (")
    assert versions.implementation_version("nss") == (
        "unknown (dpkg-query libnss3-tools failed)")

    def broken() -> str:
        raise RuntimeError("boom")

    monkeypatch.setitem(versions.DISCOVERERS, "gnutls", broken)
    assert versions.implementation_version("gnutls") == "unknown (RuntimeError: boom)"


def test_suite_version_falls_back_to_pyproject(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(versions, "python_package", lambda name: None)
    assert versions.suite_version().endswith("(pyproject.toml, not installed)")


def test_remote_target_version_is_unknown_not_guessed():
    header = make_header(["remote"], {"remote": "example.org:443"})
    assert header.versions == {"remote": "unknown (remote target example.org:443: not asked)"}
    assert "remote at example.org:443: unknown" in "\n".join(header.lines())


@pytest.mark.parametrize(("text", "parsed"), [
    ("prod=example.org:443", ("prod", "example.org:443")),
    ("v6.box=[::1]:8443", ("v6.box", "[::1]:8443")),
])
def test_parse_target(text: str, parsed: tuple[str, str]):
    assert matrix.parse_target(text) == parsed


@pytest.mark.parametrize("text", ["example.org:443", "=h:1", "a b=h:1", "../x=h:1",
                                  "x=h", "x=h:0", "x=:443"])
def test_parse_target_refuses(text: str):
    with pytest.raises(ValueError):
        matrix.parse_target(text)


def test_remote_command_uses_target_and_no_local_options(tmp_path: Path):
    command = matrix.pytest_command("prod", 3, tmp_path / "prod.xml", "example.org:443")
    assert command[1:] == ["-m", "pytest", "suites", "--ignore", "suites/clients", "-n", "3",
                           "--target", "example.org:443", "-p", "no:cacheprovider", "-q",
                           f"--junitxml={tmp_path / 'prod.xml'}"]
    local = matrix.pytest_command("gnutls", 2, tmp_path / "g.xml")
    assert local[local.index("--server"):local.index("-p")] == [
        "--server", "gnutls", "--require-version", "tls12,tls13"]


def fake_matrix(monkeypatch: pytest.MonkeyPatch, run: Run) -> list[tuple[str, str | None]]:
    ran: list[tuple[str, str | None]] = []

    def fake_run_one(name: str, out: Path, workers: int, target: str | None = None
                     ) -> tuple[Run, float]:
        ran.append((name, target))
        return Run(name, cases=[c for c in run.cases if not c.unexpected]), 0.0

    monkeypatch.setattr(matrix, "availability", lambda: {"embedded": True, "gnutls": True})
    monkeypatch.setattr(matrix, "default_servers", lambda: ["embedded", "gnutls"])
    monkeypatch.setattr(matrix, "run_one", fake_run_one)
    return ran


def test_targets_join_beside_or_instead_of_local(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run: Run
):
    ran = fake_matrix(monkeypatch, run)
    out = tmp_path / "beside"
    assert matrix.main(["--target", "prod=example.org:443", "--out", str(out)]) == 0
    assert sorted(ran) == [("embedded", None), ("gnutls", None), ("prod", "example.org:443")]
    data = json.loads((out / "matrix.json").read_text())
    assert list(data["implementations"]) == ["embedded", "gnutls", "prod"]
    assert data["header"]["targets"] == {"prod": "example.org:443"}
    assert "prod" in (out / "matrix-grid.html").read_text()
    ran.clear()
    assert matrix.main(["--servers", "", "--target", "a=h:1", "--target", "b=h:2",
                        "--out", str(tmp_path / "instead")]) == 0
    assert sorted(ran) == [("a", "h:1"), ("b", "h:2")]


@pytest.mark.parametrize("argv", [
    ["--target", "embedded=h:1"],  # clashes with a local implementation
    ["--target", "a=h:1", "--target", "a=h:2"],  # the same name twice
    ["--target", "h:1"],  # no name
    ["--servers", ""],  # nothing at all to run
])
def test_bad_targets_are_usage_errors(
    argv: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run: Run
):
    ran = fake_matrix(monkeypatch, run)
    assert matrix.main([*argv, "--out", str(tmp_path)]) == 2
    assert ran == []


def test_remote_version_says_what_its_run_saw():
    log = ("tlsconform 0.1.0; server name (SNI) example.org\ntarget: example.org:443\n"
           "  implementation: reply to GET /: Server: nginx/1.25\n  versions (probe): ...\n")
    header = Header("0.1.0", "d", {"prod": "unknown (remote target example.org:443: not asked)",
                                   "embedded": "OpenSSL"}, {"prod": "example.org:443"})
    named = with_identities(header, {"prod": log, "embedded": log})
    assert named.versions == {
        "prod": "unknown (remote target example.org:443; reply to GET /: Server: nginx/1.25)",
        "embedded": "OpenSSL"}
    assert with_identities(header, {"prod": "no header here"}) == header


# --- clients under the client rows ------------------------------------------------------

CLIENT_JUNIT = """<?xml version="1.0" encoding="utf-8"?>
<testsuites name="pytest" tests="3"><testsuite name="pytest" tests="3">
<testcase classname="suites.clients.test_clients_certificates"
  name="test_clients_certificates[tls12-expired-certificate-refused]" time="0.1">
  <properties><property name="grade" value="strict"/>
  <property name="observed" value="fatal alert certificate_expired(45) (plaintext)"/>
  </properties></testcase>
<testcase classname="suites.clients.test_clients_certificates"
  name="test_clients_certificates[tls12-wrong-name-refused]" time="0.1">
  <properties><property name="grade" value="conceptual"/>
  <property name="observed" value="warning alert close_notify(0) (encrypted)"/></properties>
  <skipped type="pytest.xfail" message="known deviation (curl, RFC 9110 4.3.4): r">x</skipped>
</testcase>
<testcase classname="suites.clients.test_clients_records"
  name="test_clients_records[tls13-close-notify-answered]" time="0.1">
  <properties><property name="grade" value="fail"/>
  <property name="observed" value="client completed the handshake (TLS 1.3"/></properties>
  <failure message="closed without close_notify">trace</failure></testcase>
</testsuite></testsuites>
"""


def client_run(tmp_path: Path, name: str = "openssl", failing: bool = True) -> Run:
    path = tmp_path / f"client-{name}.xml"
    path.write_text(CLIENT_JUNIT)
    cases = [c for c in parse_junit(path) if failing or not c.unexpected]
    return Run(name, cases=cases, role=CLIENT)


def test_client_rows_have_their_own_topics(tmp_path: Path):
    counts = client_run(tmp_path).counts()
    assert set(counts) == {"clients_certificates", "clients_records", TOTAL}
    assert counts["clients_certificates"]["known-deviation"] == 1
    assert counts["clients_records"]["failed"] == 1


def test_clients_get_a_table_of_their_own(tmp_path: Path, run: Run):
    """A client may share a server's name (openssl: s_server and s_client): each stays in
    its own table, with its own anchors and JSON entry."""
    server = Run("openssl", cases=run.cases)
    client = client_run(tmp_path)
    runs = [server, Run("absent", NOT_AVAILABLE), client,
            Run("wget", NOT_AVAILABLE, role=CLIENT)]
    text = markdown(runs)
    servers_part, clients_part = text.split("## TLS clients")
    assert "| implementation | alerts | client_auth | versions | total | status |" in servers_part
    assert "clients_" not in servers_part
    assert ("| client | clients_certificates | clients_records | total | status |"
            in clients_part)
    row = next(line for line in clients_part.splitlines() if line.startswith("| openssl |"))
    assert row.split("|")[1:-1] == [" openssl ", " 1 / 0 / 0 / 0 / 1 ", " 0 / 0 / 1 / 0 / 0 ",
                                    " 1 / 0 / 1 / 0 / 1 ", " unexpected failures "]
    assert "| wget | not available | not available | not available |" in clients_part
    page = html(runs)
    links = set(re.findall(r'href="#([^"]+)"', page))
    sections = set(re.findall(r'<section id="([^"]+)"', page))
    assert links == sections == {"openssl--alerts", "openssl--client_auth",
                                 "openssl--versions", "client-openssl--clients_certificates",
                                 "client-openssl--clients_records"}
    assert page.index("<h2>TLS clients</h2>") < page.index("<section")
    data = json.loads(as_json(runs))
    assert list(data["implementations"]) == ["absent", "openssl"]  # JSON keys sort
    assert list(data["clients"]) == ["openssl", "wget"]
    assert data["topics"] == ["alerts", "client_auth", "versions"]
    assert data["client_topics"] == ["clients_certificates", "clients_records"]
    assert data["client_grid"]["clients_records"] == {
        "test_clients_records[tls13-close-notify-answered]": {"openssl": "failed",
                                                              "wget": NOT_RUN}}
    assert data["clients"]["openssl"]["counts"][TOTAL]["known-deviation"] == 1
    grid_page = grid_html(runs)
    first, second = grid_page.split("TLS clients: case x client")
    assert 'id="grid--alerts"' in first and "clients_records" not in first
    assert 'id="grid-client--clients_records"' in second and "test_alerts" not in second
    assert "wget: not run (not available)" in second


def test_without_clients_the_reports_are_as_before(run: Run):
    runs = [run]
    assert "TLS clients" not in markdown(runs) + html(runs) + grid_html(runs)
    data = json.loads(as_json(runs))
    assert (data["clients"], data["client_topics"], data["client_grid"]) == ({}, [], {})


def test_clients_alone_make_a_matrix(tmp_path: Path):
    runs = [client_run(tmp_path)]
    assert "| implementation |" not in markdown(runs)
    assert "<th>implementation</th>" not in html(runs)
    assert "clients_records" in grid_html(runs)


def test_client_command_runs_the_client_rows_only(tmp_path: Path):
    command = matrix.client_command("gnutls", 2, tmp_path / "c.xml")
    assert command[1:] == ["-m", "pytest", "suites/clients", "-n", "2", "--client", "gnutls",
                           "-p", "no:cacheprovider", "-q", f"--junitxml={tmp_path / 'c.xml'}"]


def test_default_clients_leave_the_test_doubles_out():
    local = DEFAULT_CLIENTS()  # the real list: no_local_clients patches the module's
    assert {"embedded", "openssl", "gnutls", "curl", "wget", "nss"} <= set(local)
    assert not {"python-ssl-noverify", "python-ssl-nohostname", "faulty"} & set(local)
    for name in local:
        assert name in versions.CLIENT_DISCOVERERS


def fake_clients(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, here: dict[str, bool],
                 failing: bool = False) -> list[str]:
    ran: list[str] = []

    def fake_run_client(name: str, out: Path, workers: int) -> tuple[Run, float]:
        ran.append(name)
        return client_run(tmp_path, name, failing), 0.25

    monkeypatch.setattr(matrix, "client_availability",
                        lambda names: {n: here[n] for n in names if n in here})
    monkeypatch.setattr(matrix, "run_client", fake_run_client)
    monkeypatch.setattr(matrix, "default_clients", lambda: list(here))
    return ran


def test_main_runs_each_available_client(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run: Run,
    capsys: pytest.CaptureFixture[str]
):
    servers = fake_matrix(monkeypatch, run)
    ran = fake_clients(monkeypatch, tmp_path, {"openssl": True, "nss": False})
    out = tmp_path / "out"
    assert matrix.main(["--out", str(out)]) == 0
    assert ran == ["openssl"] and sorted(servers) == [("embedded", None), ("gnutls", None)]
    printed = capsys.readouterr().out
    assert "client openssl: 1 strict, 0 conceptual, 0 failed, 0 skipped, 1 known-deviation" \
        in printed
    assert "client nss: not available" in printed
    data = json.loads((out / "matrix.json").read_text())
    assert list(data["implementations"]) == ["embedded", "gnutls"]
    assert list(data["clients"]) == ["nss", "openssl"]
    assert data["clients"]["nss"]["status"] == "not available"
    assert set(data["header"]["client_versions"]) == {"openssl", "nss"}
    assert "## TLS clients" in (out / "matrix.md").read_text()


def test_main_fails_on_a_client_failure_and_refuses_unknown_clients(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run: Run
):
    fake_matrix(monkeypatch, run)
    ran = fake_clients(monkeypatch, tmp_path, {"curl": True}, failing=True)
    assert matrix.main(["--servers", "", "--out", str(tmp_path / "o")]) == 1
    assert ran == ["curl"]
    assert matrix.main(["--clients", "curl,lynx", "--out", str(tmp_path / "p")]) == 2
    assert matrix.main(["--servers", "", "--clients", "", "--out", str(tmp_path / "q")]) == 2
    ran.clear()
    assert matrix.main(["--clients", "", "--out", str(tmp_path / "r")]) == 0
    assert ran == []


def test_header_lists_client_versions(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(versions, "command_output", lambda argv: None)
    header = make_header([], {}, ["gnutls", "nope"])
    assert header.client_versions == {"gnutls": "unknown (gnutls-cli --version failed)",
                                      "nope": "unknown (no way to ask nope for its version)"}
    assert "client gnutls: unknown (gnutls-cli --version failed)" in header.lines()
    assert "local client" in header.html()
    assert header.as_json()["client_versions"] == header.client_versions


def test_client_versions_are_strings_or_a_clear_unknown():
    for name in (*versions.CLIENT_DISCOVERERS, "no-such-client"):
        text = versions.client_version(name)
        assert isinstance(text, str) and text
    assert "Python " in versions.client_version("embedded")
