"""run_in_child (issue 11, P5): bytes in on stdin, bytes out on stdout; a large input through a
temporary file (a 20 MB feed went through eventlet's green pipe in seconds); a failing child's stderr in the
error; a child that does not answer in time is killed, and the caller told in French (503)."""
import time

import pytest

from services.common.errors import DomainError
from services.common.offload import ChildFailed, run_in_child

CHILD = "tests.support.echo_child"


def test_a_large_body_goes_in_and_the_answer_comes_out():
    body = b"0123456789" * 2_000_000  # 20 MB, as a 50,000-article feed
    assert run_in_child(CHILD, body) == b"20000000:01234567"
    assert run_in_child(CHILD, b"") == b"0:"
    assert run_in_child(CHILD, b"small view") == b"10:small vi"  # (through the pipe)


def test_a_failing_child_says_why():
    with pytest.raises(ChildFailed, match="la conversion a échoué"):
        run_in_child(CHILD, b"fail")


def test_a_child_that_does_not_answer_is_killed():
    t = time.perf_counter()
    with pytest.raises(DomainError) as refused:
        run_in_child(CHILD, b"sleep", timeout=1)
    assert refused.value.code == "unavailable" and "Réessayez" in refused.value.message
    assert time.perf_counter() - t < 10  # killed, not waited for (it sleeps 30 s)
