"""Deployment profiles (--profile): built-in and file profiles, the policy rows they add,
and bad profiles as one usage error (issue 12, item 5)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tlsconform.crypto import suites as cs
from tlsconform.policy.profile import ProfileError, load, parse
from tlsconform.policy.rows import policy_rows

ROOT = Path(__file__).resolve().parent.parent


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pytest", "suites", "-q", "-p",
                           "no:cacheprovider", "-m", "policy", *args],
                          cwd=ROOT, capture_output=True, text=True, timeout=180)


def test_built_in_profiles_follow_mozilla() -> None:
    modern, intermediate = load("modern"), load("intermediate")
    assert modern.versions == ("tls13",)
    assert intermediate.versions == ("tls12", "tls13")
    assert intermediate.suite_rule(cs.ECDHE_RSA_AES128_CBC_SHA) == "CBC suites"
    assert intermediate.suite_rule(cs.ECDHE_RSA_AES128_GCM_SHA256) is None
    assert "Mozilla Server Side TLS 5.0" in intermediate.title


def test_rows_cover_each_rule_family() -> None:
    ids = {row.id for row in policy_rows(load("intermediate"))}
    assert {"version-tls10", "version-tls11", "suite-0xc013", "group-x448",
            "signature-sha1", "certificate-rsa-key", "certificate-validity",
            "dh-size"} <= ids
    assert "suite-0xc02f" not in ids  # allowed: no row


@pytest.mark.parametrize(("text", "message"), [
    ('source = "x"', "missing name"),
    ('name = "x"\nversions = ["tls14"]', "unknown tls14"),
    ('name = "x"\nsuites = ["TLS_NO_SUCH_SUITE"]', "unknown cipher suite"),
    ('name = "x"\ngroups = ["p999"]', "unknown group"),
    ('name = "x"\ncolour = "red"', "unknown field colour"),
    ('name = "x"\nmin_rsa_bits = -1', "min_rsa_bits must be"),
    ('name = "x"\nadvisory_fails = "yes"', "advisory_fails must be"),
])
def test_a_bad_profile_names_the_field(text: str, message: str) -> None:
    with pytest.raises(ProfileError, match=message):
        parse(text, "test profile")


def test_intermediate_against_python_ssl_fails_with_reasons() -> None:
    """Python's ssl with its defaults accepts CBC suites and groups Mozilla leaves out."""
    result = run("--server", "embedded", "--profile", "intermediate", "-n", "2")
    assert result.returncode == 1, result.stdout[-3000:]
    assert "forbids TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA(0xc013); the server accepted it" \
        in result.stdout
    assert "rule: forbidden: CBC suites" in result.stdout
    assert "FAILED suites/test_policy.py::test_policy[version-tls10]" not in result.stdout
    assert "FAILED suites/test_policy.py::test_policy[suite-0xc02f]" not in result.stdout


def test_a_file_profile_the_target_meets_passes(tmp_path: Path) -> None:
    profile = tmp_path / "mine.toml"
    profile.write_text('name = "mine"\nversions = ["tls12", "tls13"]\n'
                       'forbid = ["rc4", "null", "3des"]\nmin_rsa_bits = 2048\n'
                       'require = ["extended_master_secret", "secure_renegotiation"]\n')
    result = run("--server", "embedded", "--profile", str(profile))
    assert result.returncode == 0, result.stdout[-3000:]
    assert " passed" in result.stdout


def test_a_bad_profile_is_one_usage_error(tmp_path: Path) -> None:
    profile = tmp_path / "bad.toml"
    profile.write_text('name = "bad"\nforbid = ["md5"]\n')
    result = run("--server", "embedded", "--profile", str(profile), "-n", "2")
    assert result.returncode == 4, result.stdout + result.stderr
    assert "forbid: unknown md5" in result.stderr
    assert result.stderr.count("ERROR:") == 1, result.stderr


def test_a_required_feature_turns_a_skip_into_a_failure(tmp_path: Path) -> None:
    """Python's ssl declines renegotiation: the row skips, unless the profile requires it."""
    profile = tmp_path / "reneg.toml"
    profile.write_text('name = "reneg"\nrequire = ["renegotiation"]\n')
    args = ("suites/test_renegotiation.py", "-q", "-p", "no:cacheprovider", "--server",
            "embedded", "-k", "renegotiation-wrong-verify-data")
    plain = subprocess.run([sys.executable, "-m", "pytest", *args], cwd=ROOT,
                           capture_output=True, text=True, timeout=120)
    assert plain.returncode == 0 and "1 skipped" in plain.stdout, plain.stdout
    required = subprocess.run([sys.executable, "-m", "pytest", *args, "--profile",
                               str(profile)], cwd=ROOT, capture_output=True, text=True,
                              timeout=120)
    assert required.returncode == 1, required.stdout
    assert "profile reneg requires renegotiation; this row needs secure renegotiation" \
        in required.stdout
    assert "tlsconform: 0 passed, 0 advisory, 1 failed" in required.stdout
