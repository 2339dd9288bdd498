"""A deployment profile, from TOML: built in (``modern``, ``intermediate``, after Mozilla's
Server Side TLS recommendations) or a user's file.

Fields (all optional but ``name``)::

    name = "mine"
    source = "what the profile follows"
    versions = ["tls12", "tls13"]         # allowed; the others must be refused
    suites = ["TLS_AES_128_GCM_SHA256"]    # allowed suites (IANA names or 0x codes)
    forbid = ["cbc", "3des", "rc4", "null", "rsa_kex", "sha1_signatures"]
    groups = ["x25519", "secp256r1"]       # allowed groups; the others must be refused
    require_groups = ["x25519"]            # must be accepted
    min_rsa_bits = 2048
    min_ec_bits = 256
    min_dh_bits = 2048
    min_days_left = 30                     # on the server's certificate
    max_lifespan_days = 398                # notBefore .. notAfter
    require = ["extended_master_secret", "secure_renegotiation"]  # answered in TLS 1.2
    # also "resumption", "tickets", "early_data", "renegotiation": rows that need the
    # feature fail, instead of skipping, against a target without it
    advisory_fails = true                  # a SHOULD not met fails the run
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from tlsconform.crypto.groups import GROUPS, group_code
from tlsconform.crypto.suites import SUITES

VERSIONS = ("tls10", "tls11", "tls12", "tls13")
CLASSES = {
    "cbc": "CBC suites",
    "3des": "3DES suites",
    "rc4": "RC4 suites",
    "null": "NULL-cipher suites",
    "rsa_kex": "static RSA key exchange",
    "dhe": "finite-field DHE key exchange",
    "sha1_signatures": "SHA-1 signatures",
}
EXTENSIONS = ("extended_master_secret", "secure_renegotiation")
# Features rows need: a profile that requires one fails those rows instead of skipping.
FEATURES = ("resumption", "tickets", "early_data", "renegotiation")
BUILT_IN = ("modern", "intermediate")
INT_FIELDS = ("min_rsa_bits", "min_ec_bits", "min_dh_bits", "min_days_left",
              "max_lifespan_days")


class ProfileError(ValueError):
    """A profile that cannot be used: the message names the file and the field."""


@dataclass(frozen=True)
class Profile:
    name: str
    source: str = ""
    versions: tuple[str, ...] | None = None
    suites: frozenset[int] | None = None
    forbid: frozenset[str] = frozenset()
    groups: frozenset[int] | None = None
    require_groups: frozenset[int] = frozenset()
    min_rsa_bits: int = 0
    min_ec_bits: int = 0
    min_dh_bits: int = 0
    min_days_left: int = 0
    max_lifespan_days: int = 0
    require: tuple[str, ...] = ()
    advisory_fails: bool = False

    @property
    def title(self) -> str:
        return f"profile {self.name}" + (f" ({self.source})" if self.source else "")

    def suite_rule(self, code: int) -> str | None:
        """Why the profile forbids this suite, or None."""
        suite = SUITES[code]
        if "cbc" in self.forbid and suite.cipher.endswith("cbc"):
            return CLASSES["cbc"]
        for cls, hit in (("3des", suite.cipher == "3descbc"), ("rc4", suite.cipher == "rc4"),
                         ("null", suite.cipher == "null"), ("rsa_kex", suite.kex == "rsa"),
                         ("dhe", suite.kex == "dhe")):
            if cls in self.forbid and hit:
                return CLASSES[cls]
        if self.suites is not None and code not in self.suites:
            return "suites outside its list"
        return None


def _suite(value: object, where: str) -> int:
    if isinstance(value, str):
        by_name = {s.name: s.code for s in SUITES.values()}
        if value in by_name:
            return by_name[value]
        try:
            value = int(value, 16)
        except ValueError:
            raise ProfileError(f"{where}: unknown cipher suite {value!r}") from None
    if not isinstance(value, int) or value not in SUITES:
        raise ProfileError(f"{where}: unknown cipher suite {value!r}")
    return value


def _group(value: object, where: str) -> int:
    try:
        code = group_code(value)  # type: ignore[arg-type]
    except (KeyError, ValueError):
        raise ProfileError(f"{where}: unknown group {value!r}") from None
    if code not in GROUPS:
        raise ProfileError(f"{where}: unknown group {value!r}")
    return code


def _strings(data: dict, key: str, where: str, allowed: tuple[str, ...] | None = None
             ) -> tuple[str, ...] | None:
    if key not in data:
        return None
    value = data[key]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ProfileError(f"{where}: {key} must be a list of strings")
    if allowed is not None:
        unknown = [v for v in value if v not in allowed]
        if unknown:
            raise ProfileError(f"{where}: {key}: unknown {', '.join(unknown)} (one of "
                               f"{', '.join(allowed)})")
    return tuple(value)


def parse(text: str, where: str) -> Profile:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ProfileError(f"{where} is not valid TOML: {exc}") from None
    known = {"name", "source", "versions", "suites", "forbid", "groups", "require_groups",
             "require", "advisory_fails", *INT_FIELDS}
    unknown = sorted(set(data) - known)
    if unknown:
        raise ProfileError(f"{where}: unknown field {', '.join(unknown)}")
    if not isinstance(data.get("name"), str) or not data["name"]:
        raise ProfileError(f"{where}: missing name")
    ints = {}
    for key in INT_FIELDS:
        value = data.get(key, 0)
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise ProfileError(f"{where}: {key} must be a whole number >= 0")
        ints[key] = value
    suites = data.get("suites")
    if suites is not None and not isinstance(suites, list):
        raise ProfileError(f"{where}: suites must be a list")
    groups = data.get("groups")
    if groups is not None and not isinstance(groups, list):
        raise ProfileError(f"{where}: groups must be a list")
    advisory = data.get("advisory_fails", False)
    if not isinstance(advisory, bool):
        raise ProfileError(f"{where}: advisory_fails must be true or false")
    return Profile(
        name=data["name"], source=str(data.get("source", "")),
        versions=_strings(data, "versions", where, VERSIONS),
        suites=None if suites is None else frozenset(_suite(s, where) for s in suites),
        forbid=frozenset(_strings(data, "forbid", where, tuple(CLASSES)) or ()),
        groups=None if groups is None else frozenset(_group(g, where) for g in groups),
        require_groups=frozenset(_group(g, where)
                                 for g in data.get("require_groups", [])),
        require=_strings(data, "require", where, EXTENSIONS + FEATURES) or (),
        advisory_fails=advisory, **ints)


def load(name_or_path: str) -> Profile:
    """A built-in profile by name, or a TOML file."""
    if name_or_path in BUILT_IN:
        text = resources.files("tlsconform.policy.profiles").joinpath(
            f"{name_or_path}.toml").read_text()
        return parse(text, f"built-in profile {name_or_path}")
    path = Path(name_or_path)
    if not path.is_file():
        raise ProfileError(f"--profile {name_or_path}: neither a built-in profile "
                           f"({', '.join(BUILT_IN)}) nor a file")
    try:
        text = path.read_text()
    except (OSError, UnicodeDecodeError) as exc:
        raise ProfileError(f"profile {path}: {exc}") from None
    return parse(text, f"profile {path}")
