"""The tabs of the bookshop's lists, written once for the pages and the API (the services
know them by these keys; the collectivity orders' labels and counts come from baskets)."""
GROUPED_ORDER_TABS = (("validation", "En attente de validation"),
                      ("traitement", "En attente de traitement"),
                      ("cloturees", "Clôturées"), ("annulees", "Annulées"))
GROUPED_ORDER_TAB_KEYS = tuple(key for key, _ in GROUPED_ORDER_TABS)
COLLECTIVITY_ORDER_TABS = ("pending", "processing", "closed", "cancelled")
