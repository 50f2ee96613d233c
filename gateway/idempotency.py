"""Idempotency keys, carried to the owning service as the `idempotency_key` RPC argument: a
retry with the same key gets the first result back instead of doing it again (see
services/common/idempotency.py), even when the first answer was lost.

- Pages: every form carries a one-time token (`{{ csrf() }}` renders it next to the CSRF token:
  a hidden `idempotency_key`, a new uuid each time the form is rendered), so a double click or
  a resubmitted form takes effect once. The key sent to the service is that token *with a
  digest of what the form says*: the same form sent again is a retry, but a form corrected
  after an error, or changed after the browser's Back button, is a new request (a parent must
  never meet "clé d'idempotence déjà servie").
- API: the `Idempotency-Key` header (documented in the OpenAPI on each write that takes it)."""
import hashlib
import uuid

from flask import request

HEADER = "Idempotency-Key"
FIELD = "idempotency_key"
# the OpenAPI description of the header (`@blp.answers(..., idempotent=True)`, gateway/api)
API_PARAMETER = {
    "in": "header", "name": HEADER, "required": False,
    "schema": {"type": "string", "minLength": 1, "maxLength": 100},
    "description": "Clé d'idempotence choisie par le client (par exemple un UUID), 1 à 100 "
                   "caractères ASCII visibles. Une nouvelle tentative avec la même clé renvoie "
                   "le résultat de la première au lieu de recommencer ; la même clé avec un "
                   "autre contenu est refusée (409).",
}


def key():
    """The request's key: the API header, or the form's one-time token; None without one.
    (The service checks it; one character too many is kept so that it can refuse it.)"""
    value = request.headers.get(HEADER)
    if not value and request.mimetype in ("application/x-www-form-urlencoded",
                                          "multipart/form-data"):
        token = request.form.get(FIELD)
        if token:
            value = f"{token[:60]}-{form_digest()}"
    return value[:101] if value else None


def form_digest() -> str:
    """What the form says (every field but the tokens), as 16 hex digits."""
    fields = sorted((name, value) for name, values in request.form.lists() for value in values
                    if name not in (FIELD, "csrf_token"))
    return hashlib.sha256(repr(fields).encode()).hexdigest()[:16]


def one_time_token():
    """A form's one-time token, made when the form is rendered."""
    return uuid.uuid4().hex
