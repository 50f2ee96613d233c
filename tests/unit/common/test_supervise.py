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


def test_a_stop_reaches_the_child_once(tmp_path):
    """SIGTERM then SIGINT (a kill of the group, then Ctrl-C): the child is told once; it was
    told by each, and by the group's signal too, and nameko stopped its container twice."""
    sent = []

    class Child(FakeProc):
        def poll(self):
            return None

        def send_signal(self, signum):
            sent.append(signum)

    def both():
        signal.raise_signal(signal.SIGTERM)
        signal.raise_signal(signal.SIGINT)

    previous = signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGINT)
    try:
        run.supervise(["svc"], popen=lambda command: Child(0, on_wait=both))
    finally:
        signal.signal(signal.SIGTERM, previous[0])
        signal.signal(signal.SIGINT, previous[1])
    assert sent == [signal.SIGTERM]


def test_the_child_runs_in_a_session_of_its_own_and_dies_with_its_supervisor(tmp_path):
    """In a session of its own (no group signal reaches it), yet never orphaned: its
    supervisor killed with SIGKILL, it gets SIGTERM (PR_SET_PDEATHSIG)."""
    import os
    import subprocess
    import sys
    import time
    child = run.child_popen([sys.executable, "-c",
                             "import os, sys; sys.exit(0 if os.getsid(0) == os.getpid() else 3)"])
    assert child.wait(timeout=30) == 0  # it leads its own session
    pid_file = tmp_path / "child.pid"
    supervisor = subprocess.Popen([sys.executable, "-c", (
        "import sys, time; from services.common import run; "
        f"c = run.child_popen([sys.executable, '-c', 'import time; time.sleep(60)']); "
        f"open({str(pid_file)!r}, 'w').write(str(c.pid)); time.sleep(60)")],
        cwd=str(run.config.ROOT))
    deadline = time.monotonic() + 30
    while not (pid_file.exists() and pid_file.read_text()) and time.monotonic() < deadline:
        time.sleep(0.05)
    pid = int(pid_file.read_text())
    supervisor.kill()
    supervisor.wait(timeout=30)
    def alive():  # a zombie left unreaped (a container's PID 1 may not reap) is dead too
        try:
            return open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()[0] != "Z"
        except FileNotFoundError:
            return False

    while time.monotonic() < deadline:
        if not alive():
            break
        time.sleep(0.05)
    else:
        os.kill(pid, 9)
        raise AssertionError("the child outlived its supervisor")
