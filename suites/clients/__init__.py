"""Client rows: the suite plays the server and judges the TLS client under test."""
