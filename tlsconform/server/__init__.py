"""The server side of a conversation: the suite plays the server to test a TLS client."""
