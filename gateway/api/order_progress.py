"""API v1: an order's progress on the bookshop's desk (references 002 §2 and 003 step 2), ADMIN
only: its state, its history (who, when, from → to, comment) and the moves it may make; a move
(`to`, `comment` — a cancellation's reason —, `current`: the state the client saw, a 409 if the
order moved since). Thin: one RPC to order_desk each, which asks the order's owner for the moves
that are its own (the answer's `pending` then lists it until the owner's event comes back)."""
from flask import g
from flask.views import MethodView
from marshmallow import fields

from services.common.contracts.fields import booleans, texts
from services.common.progress import PROGRESS_CODES

from .. import idempotency
from ..rpc_client import rpc
from ..security import ADMIN
from .base import Blueprint, In, Length, OneOf, Out, String
from .routes import json_only

blp = Blueprint("api_order_progress", __name__, url_prefix="/api/v1",
                description="Commandes : l'avancement et son historique")
blp.before_request(json_only)
ORDER = ("/admin/desk/orders/<any(sub_order, grouped_order, collectivity_order, quote):kind>"
         "/<int:number>/progress")


class ProgressMoveIn(In):
    to = String(required=True, validate=OneOf(list(PROGRESS_CODES)))
    comment = String(load_default="", validate=Length(max=1000))
    current = String(load_default=None, allow_none=True, validate=OneOf(list(PROGRESS_CODES)))


class HistoryRow(Out):
    from_label, to_status, to_label, by, comment = texts(5)
    from_status, at = texts(2, null=True)


class NextMove(Out):
    code, label = texts(2)
    owner, needs_reason = booleans(2)


class Pending(Out):
    to_status, to_label, by = texts(3)
    asked_at = fields.String(allow_none=True)


class ProgressOut(Out):
    kind, kind_label, status, label = texts(4)
    number = fields.Integer()
    at = fields.String(allow_none=True)
    history = fields.List(fields.Nested(HistoryRow))
    moves = fields.List(fields.Nested(NextMove))
    pending = fields.List(fields.Nested(Pending))


@blp.view(ORDER, [ADMIN])
class Progress(MethodView):
    @blp.answers(ProgressOut)
    def get(self, kind, number):
        """The order's progress, its history and the moves it may make now."""
        return rpc("order_desk", "progress_history", kind, number)

    @blp.answers(ProgressOut, takes=ProgressMoveIn, idempotent=True)
    def post(self, data, kind, number):
        """Move the order: 400 (unknown state, Annulée without a reason), 409 (not from its
        state, or `current` is no longer its state)."""
        return rpc("order_desk", "move_progress", kind, number, data["to"], data["comment"],
                   g.user["email"], g.user["id"], data["current"],
                   idempotency_key=idempotency.key())
