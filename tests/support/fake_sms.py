"""A fake SMS provider: an HTTP server on 127.0.0.1 (a thread of the test process) that takes
what `services.notifications.adapters.sms.HttpSmsProvider` posts. It records every request
(bearer token, JSON body) and answers with the next status of `answers` (then 200)."""
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class FakeSmsProvider:
    def __init__(self, token="sms-test-token", answers=()):
        self.token, self.answers = token, list(answers)
        self.requests, self.received = [], []
        self.lock = threading.Lock()
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                with provider.lock:
                    status = provider.answers.pop(0) if provider.answers else 200
                    if self.headers.get("Authorization") != f"Bearer {provider.token}":
                        status = 401
                    message = json.loads(body or b"{}")
                    provider.requests.append((status, message))
                    if 200 <= status < 300:
                        provider.received.append(message)
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(json.dumps({"status": status}).encode())

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/sms"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
