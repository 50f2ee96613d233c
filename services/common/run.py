"""Start one service: `python -m services.common.run <service>` (what the containers run: their
`restart: unless-stopped` restarts a process that dies): hands over to `nameko run` with
nameko.yml and the service's class (eventlet's deprecation warning is filtered by the `services`
package itself, services/__init__.py).

`python -m services.common.run --supervise <service>` (what `make run`'s Procfile runs) keeps the
service alive: it runs it as a child process and starts it again when it exits, after a backoff
(1 s, doubling up to 30 s; back to 1 s once it has run for a minute). SIGTERM/SIGINT are passed to
the child and end the supervisor. `--supervise -- <command ...>` supervises any command (the
gateway). Under honcho, one process exiting stops every other one: supervised, none exits."""
import logging
import signal
import subprocess
import sys
import time

from . import config

SERVICE_CLASSES = {
    "accounts": "AccountsService",
    "baskets": "BasketsService",
    "grouped_orders": "GroupedOrdersService",
    "payments": "PaymentsService",
    "notifications": "NotificationsService",
    "librisoft_bridge": "LibrisoftBridgeService",
    "order_desk": "OrderDeskService",
    "invoicing": "InvoicingService",
    "logistics": "LogisticsService",
}

log = logging.getLogger("supervise")


def backoff_delays(first=1.0, cap=30.0):
    delay = first
    while True:
        yield delay
        delay = min(delay * 2, cap)


def _die_with_parent():  # pragma: no cover  (runs in the child, between fork and exec)
    """The child gets SIGTERM if its supervisor dies (even by SIGKILL): in a session of its
    own, no signal of the terminal's or of a process group's reaches it otherwise."""
    import ctypes
    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except OSError:
        pass


def child_popen(command):
    """The supervised process in a session of its own: a Ctrl-C (or a kill of the process
    group) reaches the supervisor alone, which forwards ONE signal. It got two (the group's
    and the forwarded one): nameko stopped its container twice and printed « Trying to
    re-send() an already-triggered event » tracebacks at every shutdown."""
    return subprocess.Popen(command, start_new_session=True, preexec_fn=_die_with_parent)


def supervise(command, first_delay=1.0, max_delay=30.0, healthy_after=60.0, sleep=time.sleep,
              popen=child_popen):
    """Run `command` until told to stop; restart it with backoff whenever it exits."""
    stopping = {"signal": None}
    child = {"proc": None}

    def forward(signum, _frame):
        first = stopping["signal"] is None
        stopping["signal"] = signum
        # once: a second signal (SIGINT after SIGTERM) would stop the child's container twice
        if first and child["proc"] is not None and child["proc"].poll() is None:
            child["proc"].send_signal(signum)

    signal.signal(signal.SIGTERM, forward)
    signal.signal(signal.SIGINT, forward)
    delays = backoff_delays(first_delay, max_delay)
    while True:
        started = time.monotonic()
        child["proc"] = popen(command)
        code = child["proc"].wait()
        if stopping["signal"] is not None:
            return code
        if time.monotonic() - started >= healthy_after:
            delays = backoff_delays(first_delay, max_delay)
        delay = next(delays)
        log.warning("%s exited with code %s; starting it again in %.0f s",
                    " ".join(command), code, delay)
        for _ in range(max(1, round(delay / 0.2))):  # in small steps: a signal ends it
            if stopping["signal"] is not None:
                break
            sleep(0.2)
        if stopping["signal"] is not None:
            return code


def main(argv):
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if argv[:1] == ["--supervise"]:
        rest = argv[1:]
        if rest[:1] == ["--"] and len(rest) > 1:
            return supervise(rest[1:])
        if len(rest) == 1 and rest[0] in SERVICE_CLASSES:
            return supervise([sys.executable, "-m", "services.common.run", rest[0]])
        argv = []  # usage
    if len(argv) != 1 or argv[0] not in SERVICE_CLASSES:
        print(f"usage: python -m services.common.run [--supervise] {{{','.join(SERVICE_CLASSES)}}}"
              "\n       python -m services.common.run --supervise -- COMMAND ...")
        return 2
    service = argv[0]
    from nameko.cli.main import main as nameko_main

    sys.argv = ["nameko", "run", "--config", str(config.ROOT / "nameko.yml"),
                f"services.{service}.service:{SERVICE_CLASSES[service]}"]
    return nameko_main()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
