"""A scenario is a row: what is sent, which RFC clause, which outcomes are acceptable.

``Case`` holds the row; ``run_case`` plays it against a target and grades it;
``cases`` turns rows into pytest parameters with readable IDs and RFC markers.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import pytest

from tlsconform.client.driver import ClientDriver
from tlsconform.client.identity import ClientIdentity
from tlsconform.client.offer import Offer, tls12, tls13
from tlsconform.client.resume import Resume
from tlsconform.mutation import Mutation
from tlsconform.target import Target
from tlsconform.verdict.expect import Check, Expectation, Verdict, completes
from tlsconform.verdict.levels import ALERT_DEFAULT, AlertRule, Level, Result, result
from tlsconform.verdict.outcome import Outcome
from tlsconform.wire.connection import DEFAULT_TIMEOUT, Connection

OFFERS: dict[str, Callable[[str | None], Offer]] = {"tls12": tls12, "tls13": tls13}


@dataclass(frozen=True)
class Need:
    """A precondition a row cannot create by itself: the target must complete a plain
    handshake under ``mutations`` (e.g. "a CBC suite"), and satisfy ``check`` in it (e.g.
    "answers ALPN"), else the row skips saying so."""

    what: str
    mutations: Sequence[Mutation] = ()
    check: Check | None = None  # what the completed probe must also show (an answer)
    resume: Resume | None = None  # the probe resumes a session like the row
    renegotiation: Sequence[Mutation] | None = None  # the probe renegotiates like the row
    feature: str = ""  # what a profile may require instead of skipping ("early_data")


@dataclass(frozen=True)
class Case:
    """One conformance scenario.

    ``client_cert`` names the client certificate profile to present ("valid",
    "expired", ...); ``client_auth`` says the case needs a target that requires
    client certificates.
    """

    id: str
    rfc: tuple[str, str]
    requirement: str
    version: str  # "tls12" or "tls13"
    mutations: Sequence[Mutation] = ()
    expect: Expectation = field(default_factory=completes)
    client_cert: str | None = None
    client_auth: bool = False
    topics: tuple[str, ...] = ()
    requires: tuple[str, ...] = ()  # versions the target must support beyond ``version``
    needs: tuple[Need, ...] = ()  # preconditions checked (once per target) before the row
    round_trips: int = 1  # requests after the handshake, each answered before the next
    closure: bool = False  # read to the end of the connection after the last reply
    resume: Resume | None = None  # offer back a session an earlier conversation made
    renegotiation: Sequence[Mutation] | None = None  # a second TLS 1.2 handshake, these words
    sentence: str = ""  # the RFC's own sentence that sets the row's level
    hint: str = ""  # what to fix when the row fails, where the row knows it
    level: Level = Level.MUST  # of the behaviour the row checks
    alert_level: Level | None = None  # of the exact alert; None: ALERT_DEFAULT[version]
    silent_level: Level | None = None  # of sending an alert at all; None: the same default

    @property
    def alert_rule(self) -> AlertRule:
        """The level of the exact alert and the sentence it comes from."""
        if self.alert_level is None:
            return ALERT_DEFAULT[self.version]
        return AlertRule(self.alert_level, f"RFC {self.rfc[0]} {self.rfc[1]}", self.sentence)

    @property
    def silent_rule(self) -> AlertRule:
        """The level of sending an alert at all (rather than only closing)."""
        if self.silent_level is None:
            return ALERT_DEFAULT[self.version]
        return AlertRule(self.silent_level, f"RFC {self.rfc[0]} {self.rfc[1]}", self.sentence)

    def result(self, verdict: Verdict) -> Result:
        return result(verdict.grade.value, verdict.part, self.level, self.alert_rule.level,
                      self.silent_rule.level)

    def param(self) -> object:
        marks = [pytest.mark.rfc(*self.rfc), getattr(pytest.mark, self.version)]
        marks += [getattr(pytest.mark, topic) for topic in self.topics]
        if self.client_auth:
            marks.append(pytest.mark.client_auth)
        return pytest.param(self, id=self.id, marks=marks)


def cases(*rows: Case) -> pytest.MarkDecorator:
    """Parametrize a test over scenario rows (argument name: ``case``)."""
    return pytest.mark.parametrize("case", [row.param() for row in rows])


def run_case(
    case: Case,
    target: Target,
    identity: ClientIdentity | None = None,
    timeout: float = DEFAULT_TIMEOUT,
) -> tuple[Outcome, Verdict]:
    """Play one scenario on a fresh connection (after the one that makes the session it
    resumes) and grade what the server did."""
    offer = OFFERS[case.version](target.server_name)
    first = None
    if case.resume is not None:
        with Connection.connect(target.host, target.port, timeout=timeout) as conn:
            driver = ClientDriver(conn, case.resume.first_offer(offer), identity=identity,
                                  mutations=case.resume.first)
            first = driver.run()
        offer_back = case.resume.offer_back(case.resume.first_offer(offer), driver.session)
        if isinstance(offer_back, str):
            why = offer_back if first.completed else f"{offer_back}: {first.describe()}"
            outcome = Outcome(unmet=f"{case.resume.what} to resume: {why}", first=first)
            return outcome, case.expect.judge(outcome)
        offer = offer_back
    with Connection.connect(target.host, target.port, timeout=timeout) as conn:
        outcome = ClientDriver(conn, offer, identity=identity, mutations=case.mutations,
                               round_trips=case.round_trips, closure=case.closure,
                               renegotiation=case.renegotiation).run()
    outcome.first = first
    if case.resume is not None and case.resume.required and outcome.completed \
            and not outcome.resumed:
        outcome.unmet = f"the target does not resume {case.resume.what} (a full handshake)"
    return outcome, case.expect.judge(outcome)


def unmet_need(need: Need, case: Case, target: Target,
               identity: ClientIdentity | None = None,
               timeout: float = DEFAULT_TIMEOUT) -> str | None:
    """Why ``target`` does not meet ``need`` for ``case`` (a plain handshake of the case's
    version under the need's words must complete and pass its check), or None."""
    probe = Case(id=f"{case.version}-probe", rfc=("8446", "2"), version=case.version,
                 requirement=f"precondition: {need.what}", mutations=need.mutations,
                 resume=need.resume, renegotiation=need.renegotiation)
    outcome, _ = run_case(probe, target, identity if case.client_auth else None, timeout)
    if outcome.unmet:
        return outcome.unmet
    if not outcome.completed:
        return outcome.describe()
    return need.check.problem(outcome) if need.check is not None else None


PER_VERSION = ("rfc", "requirement", "sentence", "level", "alert_level", "silent_level",
               "expect", "mutations")


def each_version(
    name: str, versions: Sequence[str] = ("tls12", "tls13"), row_type: type[Case] | None = None,
    **row: object
) -> list[Case]:
    """The same row for several versions, with IDs ``tls12-name`` and ``tls13-name``.

    Any of ``PER_VERSION`` may be a dict from version to value, where the versions differ.
    ``row_type`` makes rows of a ``Case`` subclass (client rows).
    """
    def pick(key: str, value: object, version: str) -> object:
        return value[version] if key in PER_VERSION and isinstance(value, dict) else value

    kind = row_type or Case
    return [kind(id=f"{version}-{name}", version=version,
                 **{key: pick(key, value, version) for key, value in row.items()})
            for version in versions]
