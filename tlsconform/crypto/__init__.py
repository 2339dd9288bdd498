"""The cryptography of TLS 1.2 and 1.3, on ``cryptography``: cipher suites, key exchange,
signatures, both key schedules and record protection keys. No I/O and no scapy."""
