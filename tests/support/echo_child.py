"""A child for services.common.offload.run_in_child's tests: answers the length and the first
bytes of what it read; "fail" makes it exit 3 with a message, "sleep" makes it wait."""
import sys
import time

data = sys.stdin.buffer.read()
if data == b"fail":
    sys.stderr.write("la conversion a échoué\n")
    sys.exit(3)
if data == b"sleep":
    time.sleep(30)
sys.stdout.buffer.write(str(len(data)).encode() + b":" + data[:8])
