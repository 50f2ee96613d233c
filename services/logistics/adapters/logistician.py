"""The logistician's side of the wire: `LOGISTICIAN_URL` (none: batches are files to download
only) and `LOGISTICIAN_SECRET` (the HMAC key of the signature, domain.delivery). One POST of
the batch's JSON file, signed afresh for each attempt; answers (status, error): a 2xx is an
acknowledgement, anything else (another status, a timeout, no connection) is retried."""
import logging
import time

import requests

from services.common import config

from ..domain import delivery

log = logging.getLogger(__name__)


class Logistician:
    def __init__(self, url=None, secret="", timeout=10.0, clock=time.time):
        self.url, self.secret, self.timeout, self.clock = url, secret or "", float(timeout), clock

    @property
    def configured(self) -> bool:
        return bool(self.url)

    def post(self, url, body: bytes, batch_number: int):
        headers = delivery.headers(self.secret, int(self.clock()), body, batch_number)
        try:
            response = requests.post(url, data=body, headers=headers, timeout=self.timeout)
        except requests.RequestException as exc:
            log.warning("batch %s not delivered to the logistician: %r", batch_number, exc)
            return None, f"Pas de réponse du logisticien : {type(exc).__name__}"
        if delivery.acknowledged(response.status_code):
            return response.status_code, None
        log.warning("batch %s refused by the logistician: HTTP %s", batch_number,
                    response.status_code)
        return response.status_code, (f"HTTP {response.status_code} : "
                                      f"{response.text[:200].strip()}").strip()


def from_environment() -> Logistician:
    url = config.env("LOGISTICIAN_URL")
    secret = config.env("LOGISTICIAN_SECRET", "")
    if url and not secret:
        log.warning("LOGISTICIAN_URL is set without LOGISTICIAN_SECRET: the batches are "
                    "signed with an empty key")
    return Logistician(url, secret, config.env("LOGISTICIAN_TIMEOUT", "10"))
