"""Idempotency keys, carried to the owning service as the `idempotency_key` RPC argument: a
retry with the same key gets the first result back instead of doing it again (see
services/common/idempotency.py), even when the first answer was lost.

- Pages: every form carries a one-time token (`{{ csrf() }}` renders it next to the CSRF token:
  a hidden `idempotency_key`, a new uuid each time the form is rendered), so a double click or
  a resubmitted form takes effect once.
- API: the `Idempotency-Key` header (documented in the OpenAPI on each write that takes it)."""
import copy
import uuid

from flask import request

HEADER = "Idempotency-Key"
FIELD = "idempotency_key"
# the OpenAPI description of the header, for `@blp.doc(parameters=[API_PARAMETER])`
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
        value = request.form.get(FIELD)
    return value[:101] if value else None


def one_time_token():
    """A form's one-time token, made when the form is rendered."""
    return uuid.uuid4().hex


def api_doc(blp):
    """`@idempotent` for an API method: documents the header (a copy per operation)."""
    def idempotent(fn):
        return blp.doc(parameters=[copy.deepcopy(API_PARAMETER)])(fn)
    return idempotent
