"""Errors that cross the wire. Pure Python: domain modules raise them without knowing nameko.

`services.common.wire` registers `DomainError` with nameko so that the gateway receives the
same class (with `code`, `message`, `details`) instead of a bare RemoteError. Only the base class
travels, so make kinds with `code`, not with subclasses."""


class DomainError(Exception):
    """A business rule refused the request. `code` is stable, `message` is French for people,
    `details` (a dict of field -> [messages]) is optional."""

    def __init__(self, message, details=None, code="invalid"):
        self.message = message
        self.details = details or {}
        self.code = code
        super().__init__(message, self.details, code)

    def __str__(self):
        return self.message


def invalid(message, details=None):
    return DomainError(message, details, "invalid")


def not_found(message="Introuvable."):
    return DomainError(message, None, "not_found")


def forbidden(message="Action non autorisée."):
    return DomainError(message, None, "forbidden")


def unauthorized(message="Identifiants incorrects."):
    return DomainError(message, None, "unauthorized")


def conflict(message, details=None):
    return DomainError(message, details, "conflict")


def throttled(message):
    return DomainError(message, None, "throttled")


def unavailable(message="Un service de la plateforme est momentanément indisponible. "
                        "Réessayez dans un instant."):
    """A dependency (database, another service) cannot be reached: try again shortly (503)."""
    return DomainError(message, None, "unavailable")


HTTP_STATUS = {"invalid": 400, "unauthorized": 401, "forbidden": 403, "not_found": 404,
               "conflict": 409, "throttled": 429, "unavailable": 503}
