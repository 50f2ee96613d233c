"""Password hashing with argon2id (argon2-cffi's defaults are argon2id)."""
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()
# verified against when the e-mail is unknown, so that both cases cost the same time
_DUMMY = _hasher.hash("not a password of anyone")


def _direct(fn, *args):
    return fn(*args)


# argon2 is CPU-bound on purpose; the nameko service sets this to
# services.common.offload.native_thread so that hashing runs in a native thread and does not
# stall the other greenthreads (scripts and tests hash directly).
run_cpu_bound = _direct


def hash_password(password: str) -> str:
    return run_cpu_bound(_hasher.hash, password)


def _verify(stored_hash, password):
    try:
        return _hasher.verify(stored_hash or _DUMMY, password) and stored_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def verify_password(stored_hash: str | None, password: str) -> bool:
    return run_cpu_bound(_verify, stored_hash, password)
