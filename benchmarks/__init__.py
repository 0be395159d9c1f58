"""Load benchmark of the game server against a bare Flask-SocketIO server (`make bench`, docs/benchmarks.md)."""
