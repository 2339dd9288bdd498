"""Evidence of a conversation, to act on a verdict: a pcap of what went over the wire
(``pcap``), the key log that decrypts it (``keylog``), a readable transcript
(``transcript``), and where they are written (``files``)."""
