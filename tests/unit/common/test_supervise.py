"""The supervisor `make run` uses: a process that exits is started again, with backoff."""
import signal

from services.common import run


class FakeProc:
    def __init__(self, code, on_wait=None):
        self.code, self.on_wait = code, on_wait

    def wait(self):
        if self.on_wait:
            self.on_wait()
        return self.code

    def poll(self):
        return self.code

    def send_signal(self, signum):
        pass


def test_backoff_doubles_up_to_its_cap():
    delays = run.backoff_delays(1, 8)
    assert [next(delays) for _ in range(6)] == [1, 2, 4, 8, 8, 8]


def test_an_exiting_process_is_started_again_until_the_supervisor_is_stopped():
    started, slept = [], []

    def popen(command):
        started.append(command)
        if len(started) == 4:  # the operator stops everything while the 4th one runs
            return FakeProc(0, on_wait=lambda: signal.raise_signal(signal.SIGTERM))
        return FakeProc(1)

    previous = signal.getsignal(signal.SIGTERM)
    try:
        code = run.supervise(["svc"], first_delay=1, max_delay=30, sleep=slept.append,
                             popen=popen)
    finally:
        signal.signal(signal.SIGTERM, previous)
    assert code == 0
    assert len(started) == 4
    # it waited between restarts (a growing backoff, slept in small steps)
    assert sum(slept) >= 1 + 2 + 4 - 0.01
