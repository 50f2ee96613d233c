# gunicorn has no eventlet worker any more: threaded workers, each thread borrowing RPC proxies
# from the app's pool (a standalone proxy is never shared by two threads at once).
import os

import gunicorn.http.wsgi

bind = os.environ.get("GATEWAY_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("GATEWAY_WORKERS", "2"))
worker_class = "gthread"
threads = int(os.environ.get("GATEWAY_THREADS", "8"))
timeout = 60
accesslog = "-" if os.environ.get("GATEWAY_ACCESS_LOG") == "1" else None
# X-Forwarded-Proto is believed only from the reverse proxies named in TRUSTED_PROXIES (or
# FORWARDED_ALLOW_IPS); none by default. The gateway's own ProxyFix follows the same setting.
forwarded_allow_ips = ",".join(
    (os.environ.get("TRUSTED_PROXIES") or os.environ.get("FORWARDED_ALLOW_IPS") or "")
    .replace(",", " ").split())
# the `Server` header names no software (gunicorn reads this when it writes each response)
gunicorn.http.wsgi.SERVER = "librairie"
