# gunicorn has no eventlet worker any more: threaded workers, each thread borrowing RPC proxies
# from the app's pool (a standalone proxy is never shared by two threads at once).
import os

bind = os.environ.get("GATEWAY_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("GATEWAY_WORKERS", "2"))
worker_class = "gthread"
threads = int(os.environ.get("GATEWAY_THREADS", "8"))
timeout = 60
accesslog = "-" if os.environ.get("GATEWAY_ACCESS_LOG") == "1" else None
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
