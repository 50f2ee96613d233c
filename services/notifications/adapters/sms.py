"""Where SMS go (issue 9's new-order alerts): files under var/sms/ by default (one JSON file per
SMS, listed on the admin's dev page "SMS envoyés"), or an HTTP provider when `SMS_PROVIDER_URL`
is set: a POST of JSON `{to, text, id}` with `Authorization: Bearer <SMS_PROVIDER_TOKEN>`.
2xx: sent; 4xx: refused for good (`SmsRefused`); 5xx, a timeout or no connection: retried
(`SmsUnavailable`). `id` is stable for one SMS (the event and the recipient), so a provider
can recognise a repeat after an interrupted attempt."""
import hashlib
import json
import urllib.error
import urllib.request

from services.common import config


class SmsRefused(Exception):
    """The provider refused this SMS (4xx): no retry will change it."""


class SmsUnavailable(Exception):
    """The provider could not take it now (5xx, timeout, connection refused): retried."""


def sms_id(event_id, to_number) -> str:
    """The same for every attempt at one SMS."""
    return hashlib.sha256(f"{event_id}.{to_number}".encode()).hexdigest()[:32]


class FileSmsProvider:
    def __init__(self, directory=None):
        self.directory = directory or (config.var_dir() / "sms")
        self.directory.mkdir(parents=True, exist_ok=True)

    def send(self, row_id, to, text, ident):
        path = self.directory / f"{int(row_id):08d}.json"
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps({"to": to, "text": text, "id": ident}, ensure_ascii=False))
        tmp.replace(path)

    def __repr__(self):
        return f"FileSmsProvider({self.directory})"


class HttpSmsProvider:
    def __init__(self, url, token=None, timeout=10):
        self.url, self.token, self.timeout = url, token, float(timeout)

    def send(self, row_id, to, text, ident):
        body = json.dumps({"to": to, "text": text, "id": ident}).encode()
        request = urllib.request.Request(self.url, data=body, method="POST", headers={
            "Content-Type": "application/json", "Authorization": f"Bearer {self.token or ''}"})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                response.read()
        except urllib.error.HTTPError as exc:
            detail = f"HTTP {exc.code} {exc.reason}"
            if 400 <= exc.code < 500:
                raise SmsRefused(detail) from None
            raise SmsUnavailable(detail) from None
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise SmsUnavailable(repr(exc)) from None

    def __repr__(self):
        return f"HttpSmsProvider({self.url})"


def from_environment():
    url = config.env("SMS_PROVIDER_URL")
    if not url:
        return FileSmsProvider()
    return HttpSmsProvider(url, config.env("SMS_PROVIDER_TOKEN"),
                           config.env("SMS_PROVIDER_TIMEOUT", "10"))


def is_permanent(exc) -> bool:
    return isinstance(exc, SmsRefused)
