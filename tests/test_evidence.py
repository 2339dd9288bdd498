"""Evidence of a conversation (``--evidence``): tshark decrypts the Finished of both sides
from the pcap and key log the suite writes, every connection of a row is in the pcap,
only failing cases leave files unless ``--evidence-all``, ``-vv`` prints the transcript,
and a bad directory is one usage error."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tlsconform.certs import PKI, ensure_pki
from tlsconform.client.resume import Resume
from tlsconform.evidence.files import file_stem, write_evidence
from tlsconform.evidence.pcap import packets
from tlsconform.fixtures.servers import LocalServer, ServerConfig, launch
from tlsconform.scenario import Case, run_case
from tlsconform.target import Target
from tlsconform.verdict.outcome import Outcome
from tlsconform.wire.connection import Connection

ROOT = Path(__file__).resolve().parent.parent
TSHARK = shutil.which("tshark")
FINISHED = "20"
USAGE = 4
needs_tshark = pytest.mark.skipif(TSHARK is None, reason="tshark is not installed "
                                  "(Debian package tshark): cannot check decryption")


@pytest.fixture(scope="module")
def pki() -> PKI:
    return ensure_pki()


@pytest.fixture(scope="module")
def server(pki: PKI) -> Iterator[LocalServer]:
    with launch("embedded", pki, ServerConfig()) as running:
        yield running


@pytest.fixture(autouse=True)
def keep_bytes(monkeypatch: pytest.MonkeyPatch) -> None:
    """What --evidence switches on: received bytes kept for the pcap."""
    monkeypatch.setattr(Connection, "keep_bytes", True)


def play(server: LocalServer, version: str, resume: Resume | None = None) -> Outcome:
    target = Target("embedded", server.host, server.port, "localhost")
    case = Case(id=f"{version}-evidence", rfc=("8446", "2"), version=version,
                requirement="a plain handshake", resume=resume)
    outcome, verdict = run_case(case, target, timeout=3.0)
    assert outcome.completed, verdict.message
    return outcome


def tshark_fields(pcap: Path, keys: Path | None, *fields: str) -> list[list[str]]:
    """One row per frame: the fields asked for (tshark's own dissection)."""
    assert TSHARK is not None
    args = [TSHARK, "-r", str(pcap), "-T", "fields"]
    if keys is not None:
        args += ["-o", f"tls.keylog_file:{keys}"]
    for field in fields:
        args += ["-e", field]
    result = subprocess.run(args, capture_output=True, text=True, timeout=60, check=True)
    return [line.split("\t") for line in result.stdout.splitlines()]


def finished_from(rows: list[list[str]]) -> set[str]:
    """The TCP source ports of the frames that carry a (decrypted) Finished."""
    return {port for port, types in rows if FINISHED in types.split(",")}


@needs_tshark
@pytest.mark.parametrize("version", ["tls12", "tls13"])
def test_tshark_decrypts_both_finished_messages(server: LocalServer, version: str,
                                                tmp_path: Path) -> None:
    outcome = play(server, version)
    paths = write_evidence(tmp_path, f"suites/test_x.py::test_x[{version}]", outcome,
                           server="127.0.0.1", port=server.port)
    lines = paths["keys"].read_text().splitlines()
    labels = [line.split()[0] for line in lines]
    if version == "tls12":
        assert labels == ["CLIENT_RANDOM"]
    else:
        assert labels == ["CLIENT_HANDSHAKE_TRAFFIC_SECRET", "SERVER_HANDSHAKE_TRAFFIC_SECRET",
                          "CLIENT_TRAFFIC_SECRET_0", "SERVER_TRAFFIC_SECRET_0"]
    rows = tshark_fields(paths["pcap"], paths["keys"], "tcp.srcport", "tls.handshake.type")
    senders = finished_from(rows)
    assert str(server.port) in senders, rows  # the server's Finished, decrypted
    assert len(senders) == 2, rows  # and the client's
    without = tshark_fields(paths["pcap"], None, "tcp.srcport", "tls.handshake.type")
    assert not finished_from(without), without  # encrypted: the key log is what opens it
    hello = [types for _, types in without if types.split(",")[:1] == ["1"]]
    assert hello, without  # tshark reassembled the stream from our TCP framing


@needs_tshark
def test_a_resuming_row_puts_both_connections_in_the_pcap(server: LocalServer,
                                                          tmp_path: Path) -> None:
    outcome = play(server, "tls13", resume=Resume("psk"))
    assert outcome.first is not None
    paths = write_evidence(tmp_path, "suites/test_x.py::test_x[tls13-resumed]", outcome,
                           server="127.0.0.1", port=server.port)
    randoms = {line.split()[1] for line in paths["keys"].read_text().splitlines()}
    assert len(randoms) == 2
    rows = tshark_fields(paths["pcap"], paths["keys"], "tcp.stream", "tcp.srcport",
                         "tls.handshake.type")
    assert {stream for stream, _, _ in rows} == {"0", "1"}
    for stream in ("0", "1"):
        senders = finished_from([[port, types] for s, port, types in rows if s == stream])
        assert len(senders) == 2, (stream, rows)
    transcript = paths["txt"].read_text()
    assert "connection 1: makes the session offered back" in transcript
    assert "connection 2: the row's conversation" in transcript


def test_pcap_sequence_numbers_follow_the_bytes(server: LocalServer) -> None:
    outcome = play(server, "tls12")
    frames = list(packets(outcome, "127.0.0.1", server.port, seed=1))
    sent = b"".join(bytes(f["TCP"].payload) for f in frames
                    if f["TCP"].dport == server.port and f["TCP"].payload)
    assert sent == b"".join(data for direction, data in outcome.chunks if direction == "sent")
    expected = {}
    for frame in frames:
        tcp = frame["TCP"]
        if tcp.sport in expected:
            assert tcp.seq == expected[tcp.sport]
        grows = 1 if tcp.flags.S or tcp.flags.F else 0
        expected[tcp.sport] = tcp.seq + len(bytes(tcp.payload)) + grows


def test_file_names_are_safe_and_distinct() -> None:
    stem = file_stem("suites/test_finished.py::test_finished[tls13-bitflip last/byte]")
    assert "/" not in stem and " " not in stem and "[" not in stem
    long = [file_stem(f"suites/t.py::t[{'x' * 300}{n}]") for n in range(2)]
    assert long[0] != long[1] and all(len(s) <= 160 for s in long)


def run_suite(*args: str) -> subprocess.CompletedProcess[str]:
    """The suite in a pytest of its own (quiet unless ``args`` ask for verbosity)."""
    quiet = () if any(arg.startswith("-v") for arg in args) else ("-q",)
    return subprocess.run([sys.executable, "-m", "pytest", "suites", *quiet, "-p",
                           "no:cacheprovider", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=180)


FAULTY = ("--server", "faulty", "--fault", "skip-finished-check-tls13", "-k",
          "test_finished and bitflip-last-byte")


def test_only_failing_cases_leave_evidence_and_vv_prints_the_transcript(
        tmp_path: Path) -> None:
    directory = tmp_path / "evidence" / "run"  # made, parents too
    result = run_suite(*FAULTY, "--evidence", str(directory), "-n", "2", "-vv")
    assert result.returncode == 1, result.stdout[-3000:] + result.stderr[-2000:]
    names = sorted(path.name for path in directory.iterdir())
    stem = "suites_test_finished.py--test_finished_tls13-bitflip-last-byte"
    assert names == [f"{stem}.keys", f"{stem}.pcap", f"{stem}.txt"], names
    text = (directory / f"{stem}.txt").read_text()
    assert "verify_data bit 0 of byte -1 flipped" in text
    assert "<== changed by the row" in text
    assert "expected fatal alert decrypt_error(51)" in text
    assert "tlsconform transcript" in result.stdout
    assert "CLIENT_TRAFFIC_SECRET_0" in (directory / f"{stem}.keys").read_text()


def test_evidence_all_writes_passing_cases_too(tmp_path: Path) -> None:
    result = run_suite(*FAULTY, "--evidence", str(tmp_path), "--evidence-all")
    assert result.returncode == 1, result.stdout[-3000:] + result.stderr[-2000:]
    stems = {path.stem for path in tmp_path.iterdir()}
    assert stems == {"suites_test_finished.py--test_finished_tls12-bitflip-last-byte",
                     "suites_test_finished.py--test_finished_tls13-bitflip-last-byte"}
    assert "tlsconform transcript" not in result.stdout  # not without -vv


@pytest.mark.parametrize("bad", ["file", "under-a-file", "all-alone"])
def test_a_bad_evidence_directory_is_one_usage_error(bad: str, tmp_path: Path) -> None:
    a_file = tmp_path / "a-file"
    a_file.write_text("")
    args = {"file": ["--evidence", str(a_file)],
            "under-a-file": ["--evidence", str(a_file / "evidence")],
            "all-alone": ["--evidence-all"]}[bad]
    expected = {"file": "exists and is not a directory",
                "under-a-file": "is not a directory",
                "all-alone": "--evidence-all needs --evidence DIR"}[bad]
    result = run_suite(*args, "-n", "2")
    assert result.returncode == USAGE, result.stdout[-2000:] + result.stderr
    assert expected in result.stderr
    assert result.stderr.count("ERROR:") == 1, result.stderr
    assert "INTERNALERROR" not in result.stdout + result.stderr


def test_without_evidence_received_bytes_are_not_kept(server: LocalServer,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """A run without --evidence reads the socket directly (the engine's fast path)."""
    monkeypatch.setattr(Connection, "keep_bytes", False)
    outcome = play(server, "tls13")
    assert outcome.chunks and all(direction == "sent" for direction, _ in outcome.chunks)
