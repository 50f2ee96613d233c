"""A real SMTP server (aiosmtpd) in the test process, collecting what it receives."""
import email
import email.policy
import threading
import time

from aiosmtpd.controller import Controller


class Collector:
    def __init__(self):
        self.messages = []
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        msg = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self._lock:
            self.messages.append(msg)
        return "250 OK"

    def to(self, address):
        with self._lock:
            return [m for m in self.messages if address in m["To"]]

    def wait_for(self, address, count=1, timeout=20, subject_contains=None):
        deadline = time.time() + timeout
        while time.time() < deadline:
            found = [m for m in self.to(address)
                     if subject_contains is None or subject_contains in m["Subject"]]
            if len(found) >= count:
                return found
            time.sleep(0.1)
        raise AssertionError(f"expected {count} mail(s) to {address}, got {len(self.to(address))}")


def start_smtp(port):
    collector = Collector()
    collector.port = port
    controller = Controller(collector, hostname="127.0.0.1", port=port)
    controller.start()
    return controller, collector
