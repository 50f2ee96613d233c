"""The Loi Lang (loi n° 81-766 du 10 août 1981 relative au prix du livre, art. 3): a
collectivity may be given at most 9 % off the public price of a book. Written once, for the
prices baskets compute and for the warning the bridge raises on a client Librisoft sends.
Pure Python: the domains may import it."""
from decimal import Decimal

MAX_BOOK_DISCOUNT = Decimal("9")  # percent


def exceeds_cap(rate: Decimal) -> bool:
    """Whether a book discount of `rate` % is more than the law allows."""
    return Decimal(rate) > MAX_BOOK_DISCOUNT


def capped(rate: Decimal) -> tuple[Decimal, bool]:
    """(the book discount that may be applied, whether `rate` had to be capped)."""
    return (MAX_BOOK_DISCOUNT, True) if exceeds_cap(rate) else (Decimal(rate), False)
