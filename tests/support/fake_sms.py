"""A fake SMS provider: an HTTP server on 127.0.0.1 (a thread of the test process) that takes
what `services.notifications.adapters.sms.HttpSmsProvider` posts. It records every request
(bearer token, JSON body) and answers with the next status of `answers` (then 200)."""
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class FakeSmsProvider:
    def __init__(self, token="sms-test-token", answers=(), delay=0.0):
        """`answers`: the statuses of the next requests (then 200); `delay`: seconds each
        request takes (two senders then overlap)."""
        self.token, self.answers, self.delay = token, list(answers), delay
        self.scripted = []  # (text contains, status): answered once to the first SMS matching
        self.requests, self.received = [], []
        self.lock = threading.Lock()
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                time.sleep(provider.delay)
                with provider.lock:
                    message = json.loads(body or b"{}")
                    status = provider.answers.pop(0) if provider.answers else 200
                    for item in provider.scripted:
                        if item[0] in message.get("text", ""):
                            provider.scripted.remove(item)
                            status = item[1]
                            break
                    if self.headers.get("Authorization") != f"Bearer {provider.token}":
                        status = 401
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

    def answer_once(self, text_contains, status):
        """The next SMS whose text contains `text_contains` gets `status` (e.g. 503)."""
        with self.lock:
            self.scripted.append((text_contains, status))

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
