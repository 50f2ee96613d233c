"""What of the concurrency model (eventlet under nameko) the services' own code needs, each
behind one named function (the transport seam, docs/architecture.md "Moving to another
transport"):

- `run_in_child`: CPU-heavy work (a long PDF, a 50,000-row feed) off a service's event loop: run
  a module of ours as a child process, bytes in on stdin, bytes out on stdout. Under eventlet the
  wait is green, so the service keeps answering its other RPCs and HTTP requests meanwhile, and
  the work runs on another core. The only place that knows eventlet's subprocess.
- `process_lock`: a lock that serialises work among the concurrent requests of one process
  (services.common.db: SQLite's one writer)."""
import os
import sys
import threading

from . import config


class ChildFailed(RuntimeError):
    pass


def process_lock():
    """A re-entrant lock shared by the concurrent requests of this process. A service runs
    monkey-patched by eventlet (`nameko run`), which makes `threading.RLock` green: a request
    waiting for it yields to the others instead of blocking the hub. Without eventlet (tests,
    CLI) it is an ordinary thread lock. Another transport changes this function only."""
    return threading.RLock()


def run_in_child(module: str, data: bytes, timeout: float = 120) -> bytes:
    """`python -m <module>` with `data` on stdin; its stdout, or ChildFailed (exit status other
    than 0, with the end of its stderr)."""
    from eventlet.green import subprocess

    proc = subprocess.Popen([sys.executable, "-m", module], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            cwd=str(config.ROOT),
                            env=dict(os.environ, PYTHONPATH=str(config.ROOT)))
    try:
        out, err = proc.communicate(data, timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        raise ChildFailed(f"{module}: no answer after {timeout} s") from None
    if proc.returncode != 0:
        raise ChildFailed(f"{module} failed: {err.decode(errors='replace')[-2000:]}")
    return out


def native_thread(fn, *args):
    """`fn(*args)` in a native thread (eventlet's tpool), the calling greenthread waiting green:
    for CPU-bound work that holds the GIL little (argon2 hashing, in C), so that the service's
    other greenthreads keep running meanwhile."""
    from eventlet import tpool

    return tpool.execute(fn, *args)
