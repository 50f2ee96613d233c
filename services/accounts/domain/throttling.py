"""Sign-in throttling: 5 failures per address, 30 per IP address, in 15 minutes. Checked before
the password, the same way whether the account exists or not (no user enumeration)."""
from datetime import timedelta

from services.common.errors import throttled

LOGIN_WINDOW = timedelta(minutes=15)
MAX_FAILURES_PER_EMAIL = 5
MAX_FAILURES_PER_IP = 30


def check_login_allowed(failures_for_email: int, failures_for_ip: int):
    """Throttle before checking the password, the same way whether the account exists or not."""
    if failures_for_email >= MAX_FAILURES_PER_EMAIL or failures_for_ip >= MAX_FAILURES_PER_IP:
        raise throttled("Trop de tentatives de connexion. Réessayez dans quelques minutes.")
