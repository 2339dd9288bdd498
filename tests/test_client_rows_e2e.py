"""Client rows through pytest, as a user runs them: against the embedded client, against
a client given by a --client-cmd template the user wrote, and a template whose client
never connects stopping the run at once (exit 10)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tlsconform.fixtures import exit_codes

ROOT = Path(__file__).resolve().parent.parent
GOOD = "good-chain-completes or expired-certificate-refused"
S_CLIENT = ("openssl s_client -connect {host}:{port} -servername {name} "
            "-verify_hostname {name} -CAfile {ca} -verify_return_error -quiet")


def run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"}
    return subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-p",
                           "tlsconform.fixtures.plugin", "suites/clients", "-q", *args],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
                          check=False)


def test_client_rows_pass_against_the_embedded_client() -> None:
    result = run("-k", GOOD)
    assert result.returncode == 0, result.stdout[-3000:]
    assert "4 passed" in result.stdout


@pytest.mark.skipif(shutil.which("openssl") is None, reason="needs openssl")
def test_a_client_command_the_user_wrote() -> None:
    result = run("-k", GOOD, "--client-cmd", S_CLIENT)
    assert result.returncode == 0, result.stdout[-3000:]
    assert "4 passed" in result.stdout
    assert "client under test (client rows): --client-cmd" in result.stdout


def test_a_client_that_never_connects_stops_the_run() -> None:
    result = run("-k", GOOD, "--client-cmd", "sleep 30", "--tls-timeout", "1")
    assert result.returncode == exit_codes.TARGET_UNUSABLE, result.stdout + result.stderr
    assert "never" in (result.stdout + result.stderr)
