"""Password hashing with argon2id (argon2-cffi's defaults are argon2id).

Production parameters are argon2-cffi's defaults (RFC 9106's low-memory profile: 3 passes over
64 MiB, 4 lanes). `ARGON2_PROFILE=test` (set by the unit tier only, tests/conftest.py) uses the
cheapest parameters instead, so that the unit tests do not spend their time hashing. A hash
carries its own parameters: either hasher verifies the other's hashes."""
import dataclasses
import functools
import os

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError

PROFILE_ENV = "ARGON2_PROFILE"
PRODUCTION = profiles.RFC_9106_LOW_MEMORY
# one pass over 8 KiB; same hash and salt lengths as production, so hashes look the same
TEST = dataclasses.replace(PRODUCTION, time_cost=1, memory_cost=8, parallelism=1)
PROFILES = {"production": PRODUCTION, "test": TEST}


def profile_name() -> str:
    name = os.environ.get(PROFILE_ENV, "").strip() or "production"
    if name not in PROFILES:
        raise RuntimeError(f"{PROFILE_ENV}={name!r}: expected one of {sorted(PROFILES)}")
    return name


@functools.cache
def _hasher_for(name: str):
    hasher = PasswordHasher.from_parameters(PROFILES[name])
    # verified against when the e-mail is unknown, so that both cases cost the same time
    return hasher, hasher.hash("not a password of anyone")


def hasher() -> PasswordHasher:
    """The hasher of the current profile (production unless ARGON2_PROFILE says otherwise)."""
    return _hasher_for(profile_name())[0]


def _direct(fn, *args):
    return fn(*args)


# argon2 is CPU-bound on purpose; the nameko service sets this to
# services.common.offload.native_thread so that hashing runs in a native thread and does not
# stall the other greenthreads (scripts and tests hash directly).
run_cpu_bound = _direct


def hash_password(password: str) -> str:
    return run_cpu_bound(hasher().hash, password)


def _verify(stored_hash, password):
    current, dummy = _hasher_for(profile_name())
    try:
        return current.verify(stored_hash or dummy, password) and stored_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def verify_password(stored_hash: str | None, password: str) -> bool:
    return run_cpu_bound(_verify, stored_hash, password)
