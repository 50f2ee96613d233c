"""The logistics transactions: `orders` (what the owners' events say of an order), `batches`
(the hand-off, the batches and their files), `delivery` (the signed POSTs, retried)."""
from .batches import (batch_file, get_batch, hand_off, list_batches, list_candidates,
                      order_batches)
from .delivery import claim_due, deliver_due, record_outcome
from . import orders

__all__ = ["batch_file", "get_batch", "hand_off", "list_batches", "list_candidates",
           "order_batches", "claim_due", "deliver_due", "record_outcome", "orders"]
