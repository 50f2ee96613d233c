"""A fake logistician: an HTTP server on 127.0.0.1 (a thread of the test process) taking the
batches `services.logistics` POSTs. It checks each request's signature (HMAC-SHA256 of
"<timestamp>.<body>" with the shared secret, docs/logistics.md) with the service's own rule,
records every request, and answers with the next status of `answers` (then 200; 401 whatever
`answers` says when the signature is wrong)."""
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from services.logistics.domain import delivery


class FakeLogistician:
    def __init__(self, secret="logisticien-test-secret", answers=()):
        self.secret, self.answers = secret, list(answers)
        self.requests = []  # dicts: status, batch, signed (bool), headers, body (bytes), json
        self.lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                signed = delivery.verify(fake.secret,
                                         self.headers.get(delivery.TIMESTAMP_HEADER),
                                         self.headers.get(delivery.SIGNATURE_HEADER), body,
                                         time.time())
                with fake.lock:
                    status = fake.answers.pop(0) if fake.answers else 200
                    if not signed:
                        status = 401
                    fake.requests.append({
                        "status": status, "signed": signed, "path": self.path,
                        "batch": self.headers.get(delivery.BATCH_HEADER),
                        "headers": dict(self.headers), "body": body,
                        "json": json.loads(body or b"{}"), "at": time.time()})
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(json.dumps({"recu": 200 <= status < 300}).encode())

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/lots"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def refuse_next(self, *statuses):
        """The next requests get these statuses (e.g. 503, 500), then 200 again."""
        with self.lock:
            self.answers.extend(statuses)

    def of_batch(self, number):
        with self.lock:
            return [r for r in self.requests if r["batch"] == str(number)]

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
