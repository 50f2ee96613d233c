"""The baskets' transactions, `fn(session, ..., now, record, ...)`: load -> domain decision ->
persist -> record events; no rule of their own. `baskets` (the baskets, their lines, the
approval chain, prices), `placing` (the transformation into a quote request or an order, the
account's documents, Librisoft's pickup), `bookshop` (the bookshop's side)."""
