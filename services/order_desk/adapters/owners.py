"""A move of the desk that is an owner's action (domain/progress.py `OWNER_ACTIONS`) asked of
the owner over RPC, with the bookshop's account (the owners check it is an admin) and the
request's idempotency key. The owner's guarded transition decides (a second identical request is
its 409) and its event then moves the progress on the desk (`apply_owner_progress`)."""


def ask(owners: dict, move, number: int, actor_id, idempotency_key=None):
    """`owners`: service name -> RPC proxy (grouped_orders, baskets). Raises the owner's
    DomainError (400/409 in French) when it refuses."""
    action = move.owner
    proxy = owners[action.service]
    number = int(number)
    if action.service == "baskets":   # a collectivity order: one RPC for the bookshop's actions
        return proxy.admin_order_action(actor_id, number, action.action, move.comment,
                                        idempotency_key=idempotency_key)
    method = getattr(proxy, action.action)
    if action.needs_reason:
        return method(actor_id, number, move.comment, idempotency_key=idempotency_key)
    return method(actor_id, number, idempotency_key=idempotency_key)
