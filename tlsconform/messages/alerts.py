"""The alert registry (RFC 8446 6, RFC 5246 7.2) and how verdicts name alerts."""

from __future__ import annotations

from enum import IntEnum


class AlertLevel(IntEnum):
    warning = 1
    fatal = 2


class AlertDescription(IntEnum):
    close_notify = 0
    unexpected_message = 10
    bad_record_mac = 20
    decryption_failed = 21
    record_overflow = 22
    decompression_failure = 30
    handshake_failure = 40
    no_certificate = 41
    bad_certificate = 42
    unsupported_certificate = 43
    certificate_revoked = 44
    certificate_expired = 45
    certificate_unknown = 46
    illegal_parameter = 47
    unknown_ca = 48
    access_denied = 49
    decode_error = 50
    decrypt_error = 51
    export_restriction = 60
    protocol_version = 70
    insufficient_security = 71
    internal_error = 80
    inappropriate_fallback = 86
    user_canceled = 90
    no_renegotiation = 100
    missing_extension = 109
    unsupported_extension = 110
    certificate_unobtainable = 111
    unrecognized_name = 112
    bad_certificate_status_response = 113
    bad_certificate_hash_value = 114
    unknown_psk_identity = 115
    certificate_required = 116
    no_application_protocol = 120


def alert_name(code: int) -> str:
    """``decrypt_error(51)`` for known codes, ``unknown_alert(200)`` otherwise."""
    try:
        return f"{AlertDescription(code).name}({code})"
    except ValueError:
        return f"unknown_alert({code})"


def to_description(alert: str | int) -> AlertDescription:
    """Accept an alert by name or number, so scenario tables can use either."""
    if isinstance(alert, str):
        return AlertDescription[alert]
    return AlertDescription(alert)
