"""The gateway's pages, one blueprint per area."""
from flask import flash, g

from services.common.errors import DomainError

from ..services import rpc


def act(service, method, *args, done, **kwargs):
    """Run an action of the signed-in account and tell the outcome as a flash message. A
    refusal that means "not yours" (not found, forbidden) is raised: a 404/403, not a message.
    `kwargs` go to the RPC (e.g. `idempotency_key`, for the methods that take one)."""
    try:
        rpc(service, method, g.user["id"], *args, **kwargs)
    except DomainError as exc:
        if exc.code in ("not_found", "forbidden"):
            raise
        flash(exc.message, "error")
        return False
    flash(done, "success")
    return True
