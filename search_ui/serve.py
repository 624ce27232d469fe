"""Serving the app: waitress (a production WSGI server) by default, Flask's server for --debug."""
from __future__ import annotations

from flask import Flask

DEFAULT_HOST = "127.0.0.1"  # loopback: serving to the network is a deliberate choice
DEFAULT_PORT = 5000
# Threads answering requests. Each search stops at its deadline (2 s), so a few costly requests
# hold a few threads for at most that long; with more threads than that, an ordinary search
# does not wait behind them (benchmarks/hostile.py measures it). Waitress's default is 4.
SERVER_THREADS = 8


def serve(app: Flask, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT, debug: bool = False) -> None:
    """Serve until interrupted, after one line that says what is served where (Flask's
    development server says it itself). Debug mode (reloader, tracebacks in the browser) only
    when asked."""
    if debug:
        app.run(host=host, port=port, debug=True)
        return
    import waitress  # imported here: the debug server and the tests need not load it

    print(f"brieven: zoeken in {app.config['INDEX_DIR']} op http://{_display(host)}:{port}/ "
          "(Ctrl-C stopt)", flush=True)
    waitress.serve(app, host=host, port=port, ident="brieven", threads=SERVER_THREADS)


def _display(host: str) -> str:
    return f"[{host}]" if ":" in host else host
