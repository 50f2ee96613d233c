"""What of the concurrency model (eventlet under nameko) the services' own code needs, each
behind one named function (the transport seam, docs/architecture.md "Moving to another
transport"):

- `run_in_child`: CPU-heavy work (a long PDF, a 50,000-row feed) off a service's event loop: run
  a module of ours as a child process, bytes in on stdin, bytes out on stdout. Under eventlet the
  wait is green, so the service keeps answering its other RPCs and HTTP requests meanwhile, and
  the work runs on another core. The only place that knows eventlet's subprocess.
- `process_lock`: a lock that serialises work among the concurrent requests of one process
  (services.common.db: SQLite's one writer)."""
import logging
import os
import sys
import threading

from . import config
from .errors import unavailable

log = logging.getLogger(__name__)


class ChildFailed(RuntimeError):
    pass


def process_lock():
    """A re-entrant lock shared by the concurrent requests of this process. A service runs
    monkey-patched by eventlet (`nameko run`), which makes `threading.RLock` green: a request
    waiting for it yields to the others instead of blocking the hub. Without eventlet (tests,
    CLI) it is an ordinary thread lock. Another transport changes this function only."""
    return threading.RLock()


SPOOL_BYTES = 1 << 20  # from this size on, a child's input goes through a temporary file


def run_in_child(module: str, data: bytes, timeout: float = 120) -> bytes:
    """`python -m <module>` with `data` on stdin; its stdout, or ChildFailed (exit status other
    than 0, with the end of its stderr); a child still running after `timeout` is killed, and
    the caller gets a French 503 (`unavailable`).

    A large input (from SPOOL_BYTES on: a 50,000-article feed is 20 MB) goes to the child
    through a temporary file written in a native thread, not a pipe (issue 11, P5): eventlet's
    green pipe moved 20 MB in 1.9–6.7 s, the file 0.05–0.15 s. Small inputs (the PDFs' views)
    keep the pipe."""
    from eventlet.green import subprocess

    stdin = native_thread(_spooled, data) if len(data) >= SPOOL_BYTES else None
    try:
        proc = subprocess.Popen([sys.executable, "-m", module],
                                stdin=stdin or subprocess.PIPE, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, cwd=str(config.ROOT),
                                env=dict(os.environ, PYTHONPATH=str(config.ROOT)))
        try:
            out, err = proc.communicate(None if stdin else data, timeout=timeout)
        except Exception as exc:
            # eventlet's green communicate raises the TimeoutExpired of its own copy of the
            # subprocess module, which `except subprocess.TimeoutExpired` does not catch: a
            # child that hung was never killed and its caller got no ChildFailed
            if type(exc).__name__ != "TimeoutExpired":
                raise
            proc.kill()
            proc.communicate()
            log.warning("%s: no answer after %s s, killed", module, timeout)
            raise unavailable("Le traitement a pris trop de temps et a été interrompu. "
                              "Réessayez dans un instant.") from None
    finally:
        if stdin is not None:
            stdin.close()
    if proc.returncode != 0:
        raise ChildFailed(f"{module} failed: {err.decode(errors='replace')[-2000:]}")
    return out


def _spooled(data: bytes):
    import tempfile

    f = tempfile.TemporaryFile()
    f.write(data)
    f.flush()
    f.seek(0)
    return f


def native_thread(fn, *args):
    """`fn(*args)` in a native thread (eventlet's tpool), the calling greenthread waiting green:
    for CPU-bound work that holds the GIL little (argon2 hashing, in C), so that the service's
    other greenthreads keep running meanwhile."""
    from eventlet import tpool

    return tpool.execute(fn, *args)
