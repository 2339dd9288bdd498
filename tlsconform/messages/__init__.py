"""TLS messages as bytes: the codec, extension bodies, and the handshake messages of both
sides, encoded and decoded without scapy (which stays the language of mutation words)."""
