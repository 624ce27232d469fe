"""Serving the app: gunicorn with a process per core, Flask's development server for --debug.

One Python process answers on one core at a time (the GIL): a search is mostly numpy and
Python, so threads alone leave a second core idle. gunicorn runs `workers` processes, which
take connections from one listening socket; each has its own search service (searchers, index
state, caches) over the same index files, read-only, and each notices a changed index on its
next request, as one process does. The app is made once, before the workers are forked (the
modules it loads are shared copy-on-write); each worker then opens the index and reads what
every search needs before it takes its first request.

With several workers, each answer closes its connection, so that every request is taken by a
worker that is free at that moment: a kept-alive connection stays with the worker that took it,
and 20 clients on kept-alive connections left one worker with twice the other's share (the
last requests then waited on one core while the other idled). And each worker takes at most
CONNECTIONS_PER_WORKER connections at a time: the others wait in the listening socket's queue,
which the workers share, for the first worker that has room, in the order they came. Without the
bound, a busy worker still took whatever reached it, and a request could wait behind a dozen in
one worker while the other had two. One worker keeps connections alive and takes any number of
them (idle kept-alive connections must not use up its room): there is nothing to balance.
Several workers share their answers to repeated requests (a reload, paging back), in a file of
the server's own, since a repeat may reach either of them (indexer/searching/answers.py).

Where gunicorn cannot run (no fork: Windows) waitress serves in one process.
"""
from __future__ import annotations

import os
import shutil
import socket
import struct
import sys
import tempfile
from pathlib import Path
from typing import Callable

from flask import Flask

from indexer.errors import BrievenError
from indexer.machine import usable_cores
from search_ui.service import keep_resident, share_answers

DEFAULT_HOST = "127.0.0.1"  # loopback: serving to the network is a deliberate choice
DEFAULT_PORT = 5000
# Threads answering requests in a single worker (several workers: CONNECTIONS_PER_WORKER each).
# Each search stops at its deadline (2 s), so a few costly requests hold a few threads for at
# most that long; with more threads than that, an ordinary search does not wait behind them
# (benchmarks/hostile.py measures it).
SERVER_THREADS = 8
# With several workers, the connections each takes at a time, each with a thread of its own (see
# the module's docstring). At 100,000 paragraphs, 20 clients on two workers: p95 260-330 ms
# unbounded, 150-255 ms with 2 to 4 (benchmarks/load_compare.py). Four leave room for a slow
# client beside the searches (gunicorn gives a connection that sends nothing 5 s).
CONNECTIONS_PER_WORKER = 4
# A client that sends part of a request (or stops reading an answer) for this long loses its
# connection: a thread is given to a connection once its first bytes arrive, and a client that
# then stalls must not hold it (gunicorn leaves that to a proxy in front; the socket does it here).
STALLED_SECONDS = 10
KEEPALIVE_SECONDS = 5  # with one worker, an idle kept-alive connection is closed after this long


class PortInUse(BrievenError):
    exit_code = 1


def serve(app: Flask, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT, debug: bool = False,
          workers: int | None = None, access_log: str | None = None,
          warm: Callable[[Flask], None] | None = None) -> None:
    """Serve until interrupted, after one line that says what is served where (Flask's
    development server says it itself). `workers` processes (default: one per core);
    `access_log`: a file (or "-" for stderr) that gets a line per request, with the worker's
    process id; `warm(app)` runs in each worker before its first request. Debug mode (reloader,
    tracebacks in the browser) only when asked."""
    if debug:
        app.run(host=host, port=port, debug=True)
        return
    workers = workers or usable_cores()  # one per core this process may run on
    listener = _listen(host, port)
    line = f"brieven: zoeken in {app.config['INDEX_DIR']} op http://{_display(host)}:{port}/"
    try:
        import gunicorn.app.base  # noqa: F401  (not on Windows: fcntl)
    except ImportError:
        import waitress

        print(f"{line} (1 proces, Ctrl-C stopt)", flush=True)
        stop_resident = keep_resident(app, _say)
        try:
            waitress.serve(app, sockets=[listener], ident="brieven", threads=SERVER_THREADS)
        finally:
            stop_resident()
        return
    listener.close()  # the port is free: gunicorn binds it for its workers
    processes = "1 proces" if workers == 1 else f"{workers} processen"
    print(f"{line} ({processes}, Ctrl-C stopt)", flush=True)
    shared, owner = _answers_directory(workers), os.getpid()
    stop_resident = keep_resident(app, _say)  # a thread of this process: the workers share the page cache
    try:
        if shared is not None:
            share_answers(app, shared / "answers.sqlite")
        _run_gunicorn(app, host, port, workers, access_log, warm)
    finally:
        if os.getpid() == owner:  # a worker leaves through here too (gunicorn's sys.exit)
            stop_resident()
            if shared is not None:
                shutil.rmtree(shared, ignore_errors=True)


ANSWERS_PREFIX = "brieven-antwoorden-"


def _answers_directory(workers: int) -> Path | None:
    """With several workers, a private directory for their shared answers to repeated requests
    (named with this process's id); None with one (its memory does), or where no temporary
    directory can be made (then each worker keeps its own). A server that was killed leaves its
    directory behind: those of servers no longer running are removed here."""
    if workers == 1:
        return None
    _remove_stale_answers(Path(tempfile.gettempdir()))
    try:
        return Path(tempfile.mkdtemp(prefix=f"{ANSWERS_PREFIX}{os.getpid()}-"))
    except OSError:
        return None


def _remove_stale_answers(temp: Path) -> None:
    try:
        found = list(temp.glob(f"{ANSWERS_PREFIX}*-*"))
    except OSError:
        return
    for directory in found:
        pid = directory.name[len(ANSWERS_PREFIX):].split("-", 1)[0]
        try:
            if not pid.isdigit() or directory.stat().st_uid != os.getuid():
                continue
            os.kill(int(pid), 0)  # still running (or another user's process): leave it
        except ProcessLookupError:
            shutil.rmtree(directory, ignore_errors=True)
        except OSError:
            continue


def _listen(host: str, port: int) -> socket.socket:
    """A listening socket on the address, bound here so that a port in use is said in Dutch
    (also one that another `brieven serve` holds: this socket does not share its port)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    listener = socket.socket(family, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        listener.bind((host, port))
    except OSError as error:
        listener.close()
        raise PortInUse(f"Kan niet luisteren op {_display(host)}:{port} ({error.strerror}): "
                        "kies een andere poort met --port, of stop het programma dat deze gebruikt.") from error
    listener.listen(2048)
    return listener


def _time_out_stalled(listener: socket.socket) -> None:
    """A client that stalls mid-request or mid-answer for STALLED_SECONDS gets an error on
    its connection (set on a worker's listener: Linux gives the timeouts to every accepted one;
    waitress, reading without blocking, has its own)."""
    stalled = struct.pack("ll", STALLED_SECONDS, 0)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_RCVTIMEO, stalled)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_SNDTIMEO, stalled)


def _say(message: str) -> None:
    print(f"brieven: {message}", file=sys.stderr, flush=True)


def _display(host: str) -> str:
    return f"[{host}]" if ":" in host else host


def _warm_up(worker, warm: Callable[[Flask], None]) -> None:
    """Run `warm` on the worker's app before it takes requests, telling the arbiter meanwhile
    that the worker is alive: gunicorn stops a worker that is silent for its timeout (30 s),
    and reading a large index's state may take longer than that."""
    import threading

    done = threading.Event()
    thread = threading.Thread(target=lambda: (warm(worker.wsgi), done.set()), daemon=True,
                              name="brieven-warm-up")
    thread.start()
    while not done.wait(1.0) and thread.is_alive():
        worker.notify()
    thread.join()


def _run_gunicorn(app: Flask, host: str, port: int, workers: int, access_log: str | None,
                  warm: Callable[[Flask], None] | None) -> None:
    """gunicorn's arbiter over the app already made, until stopped. The workers share one
    listening socket and, when there are several, close each connection after its answer and
    take a few connections at a time (see the module's docstring)."""
    from gunicorn.app.base import BaseApplication

    def post_fork(arbiter, worker) -> None:
        for listener in worker.sockets:
            _time_out_stalled(listener.sock)

    options = {
        "bind": [f"[{host}]:{port}" if ":" in host else f"{host}:{port}"],
        "post_fork": post_fork,
        "workers": workers,
        "worker_class": "gthread",
        "threads": SERVER_THREADS if workers == 1 else CONNECTIONS_PER_WORKER,
        "worker_connections": 1000 if workers == 1 else CONNECTIONS_PER_WORKER,
        "keepalive": KEEPALIVE_SECONDS if workers == 1 else 0,  # 0: close after each answer
        "graceful_timeout": 10,
        "preload_app": True,  # the app is made: the workers share its loaded modules
        "proc_name": "brieven",
        "loglevel": "warning",  # a worker that dies or hangs is said; the rest is quiet
        "control_socket_disable": True,  # no control socket in the user's home
        "accesslog": access_log,
        "access_log_format": '%(h)s %(t)s "%(r)s" %(s)s %(B)s %(M)sms pid=%(p)s',
        "post_worker_init": (lambda worker: _warm_up(worker, warm)) if warm else None,
    }

    class Application(BaseApplication):
        def load_config(self) -> None:
            for name, value in options.items():
                if value is not None:
                    self.cfg.set(name, value)

        def load(self) -> Flask:
            return app

    Application().run()
