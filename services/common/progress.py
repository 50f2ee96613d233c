"""The one progress vocabulary of every order the bookshop receives (references 002 §2 and 003
step 2): a parent's sub-order, a grouped order, a collectivity order, a quote. The owners' own
statuses (grouped_orders, baskets) map onto it; the order desk shows and moves only these.
Pure Python."""
PROGRESS_CODES = ("registered", "confirming", "processing", "ready", "delivering", "done",
                  "cancelled", "error")
REGISTERED, CONFIRMING, PROCESSING, READY, DELIVERING, DONE, CANCELLED, ERROR = PROGRESS_CODES

LABELS = {
    REGISTERED: "Commande enregistrée",
    CONFIRMING: "Confirmation en cours",
    PROCESSING: "En cours de traitement",
    READY: "Commande prête",
    DELIVERING: "Livraison/retrait en cours",
    DONE: "Terminé",
    CANCELLED: "Annulée",
    ERROR: "Erreur",
}
# the forward path; Annulée and Erreur are reachable from any state but Terminé
PATH = (REGISTERED, CONFIRMING, PROCESSING, READY, DELIVERING, DONE)
# no mail to the customer for these two (reference 002 §2)
SILENT = (CANCELLED, ERROR)


def label(code: str) -> str:
    return LABELS[code]
