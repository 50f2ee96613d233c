"""Issuing an invoice for an order, and a credit note against an invoice. Each: load (the
counter locked first, then the order's live invoice looked up again under that lock) -> domain
decision -> persist the snapshot -> record `invoice_issued`, in one transaction.

The order's document (`order_document`, asked of its owner by the service before the
transaction) is frozen here: lines, totals, buyer, payment; nothing is read from the owner
afterwards."""
from datetime import datetime
from decimal import Decimal

from sqlalchemy import select

from services.common.errors import DomainError, conflict, invalid, not_found
from services.common.guards import transition

from .. import domain, presenters
from ..domain import amounts, credit_notes, mentions, numbering, orders, register
from ..models import CancelledOrder, Invoice, InvoiceLine
from .numbering import lock_counter, take_number

def check_order_key(kind, number):
    if kind not in domain.ORDER_KINDS:
        raise invalid("Type de commande inconnu.", {"kind": ["Type inconnu."]})
    try:
        value = int(str(number))
    except ValueError:
        value = 0
    if value <= 0 or len(str(number)) > 18:
        raise invalid("Numéro de commande invalide.", {"number": ["Numéro invalide."]})
    return kind, str(value)


def check_invoiceable(kind, number):
    kind, number = check_order_key(kind, number)
    if kind not in domain.INVOICEABLE:
        raise conflict(domain.NOT_INVOICEABLE[kind])
    return kind, number


MAX_BATCH = 500


def check_batch(kind, numbers):
    """The orders of « Facturer les sous-commandes payées »: invoiceable kind, each number
    checked, each once, at most MAX_BATCH."""
    if not isinstance(numbers, (list, tuple)) or not numbers or len(numbers) > MAX_BATCH:
        raise invalid(f"Indiquez de 1 à {MAX_BATCH} commandes à facturer.",
                      {"numbers": ["Liste de commandes invalide."]})
    checked = [check_invoiceable(kind, n)[1] for n in numbers]
    return kind, list(dict.fromkeys(checked))


def live_invoice_answer(session, kind, number):
    """The order's live invoice as the RPCs answer it, or None."""
    inv = live_invoice(session, kind, number)
    return invoice_answer(session, inv) if inv is not None else None


def live_invoice(session, kind, number):
    return session.execute(select(Invoice).where(
        Invoice.kind == domain.INVOICE, Invoice.order_kind == kind,
        Invoice.order_number == str(number), Invoice.cancelled.is_(False))).scalar_one_or_none()


def _placed_on(document, now):
    placed = document.get("placed_at") or ""
    try:
        moment = datetime.fromisoformat(placed)
    except (TypeError, ValueError):
        return numbering.paris(now).date()
    # a time without its zone is UTC, as every time the services keep (a sub-order placed at
    # 00:13 in Paris on 8 December said « Date de la vente 07/12 »)
    return numbering.paris(moment).date()


def searched(inv) -> str:
    """The document's search key (domain.register), from what it froze."""
    return register.search_key({name: getattr(inv, name) for name in register.SEARCHED})


def _add_lines(session, inv, lines):
    for position, line in enumerate(lines, start=1):
        session.add(InvoiceLine(invoice_id=inv.id, position=line.get("position", position),
                                **{k: v for k, v in line.items() if k != "position"}))


def issue_invoice(session, kind, number, document, actor_id, now, record, payment_days=30):
    """The order's invoice: the existing live one (a double click, two instances: one invoice),
    or a new one numbered now."""
    kind, number = check_invoiceable(kind, number)
    if document.get("kind") != kind or str(document.get("number")) != number:
        raise conflict("Le document reçu n'est pas celui de cette commande.")
    existing = live_invoice(session, kind, number)
    if existing is not None:
        return invoice_answer(session, existing)
    orders.check_document(kind, document)  # cancelled, or a sub-order not paid yet: 409
    lines = amounts.lines_from_document(document)
    total = amounts.totals(lines)
    counter = lock_counter(session)
    existing = live_invoice(session, kind, number)  # again, under the counter's lock
    if existing is not None:
        return invoice_answer(session, existing)
    if session.get(CancelledOrder, (kind, number)) is not None:  # its document was read just
        raise conflict(orders.CANCELLED)                         # before its cancellation
    sequence, issued_at, invoice_number = take_number(session, counter, now)
    customer = document.get("customer") or {}
    payment = document.get("payment") or {}
    terms = mentions.payment_terms(issued_at, payment, payment_days)
    inv = Invoice(
        number=invoice_number, sequence=sequence, kind=domain.INVOICE, order_kind=kind,
        order_number=number, issued_at=issued_at, sale_date=_placed_on(document, issued_at),
        due_on=terms["due_on"], paid=terms["paid"],
        title=str(document.get("title") or "")[:300],
        reference=str(document.get("reference") or "")[:200],
        customer_name=str(customer.get("name") or "")[:300] or "Client",
        customer_email=str(customer.get("email") or "")[:254],
        customer_address="\n".join(str(a) for a in customer.get("address_lines") or [] if a),
        client_number=str(customer.get("client_number") or "")[:40],
        siret=str(customer.get("siret") or "")[:20],
        chorus_service_code=str(customer.get("chorus_service_code") or "")[:100],
        public_buyer=bool(customer.get("public_buyer")),
        payment_method=str(payment.get("method") or "")[:40],
        payment_label=str(payment.get("state_label") or "")[:100],
        cheque_number=str(payment.get("cheque_number") or "")[:40],
        total_ht=total["total_ht"], vat_total=total["vat_total"], total_ttc=total["total_ttc"],
        refunded_at_pickup=amounts.noted_at_pickup(payment, "refunded_at_pickup"),
        extra_at_pickup=amounts.noted_at_pickup(payment, "extra_at_pickup"),
        detail_url=_own_page(document.get("detail_url")),
        issued_by=str(actor_id or "")[:64])
    inv.search_key = searched(inv)
    session.add(inv)
    session.flush()
    _add_lines(session, inv, lines)
    session.flush()
    session.refresh(inv)
    record(session, "invoice_issued", presenters.issued_event(inv))
    return invoice_answer(session, inv)


def _own_page(url) -> str:
    """The customer's page the owner gave (an http(s) address of ours), or ""."""
    url = str(url or "")
    return url if url.startswith(("http://", "https://")) and len(url) <= 500 else ""


def load_invoice(session, number, lock=False) -> Invoice:
    if not numbering.parse_number(number):
        raise not_found("Facture introuvable.")
    query = select(Invoice).where(Invoice.number == number)
    if lock:
        query = query.with_for_update()
    inv = session.execute(query).scalar_one_or_none()
    if inv is None:
        raise not_found("Facture introuvable.")
    return inv


def credit_notes_of(session, inv):
    return session.execute(select(Invoice).where(Invoice.invoice_id == inv.id)
                           .order_by(Invoice.sequence)).scalars().all()


def invoice_answer(session, inv) -> dict:
    if inv.kind == domain.INVOICE:
        return presenters.invoice_view(inv, credit_notes_of(session, inv))
    return presenters.invoice_view(inv, earlier_credited=earlier_credited(session, inv))


def earlier_credited(session, note):
    """The TTC of the credit notes of `note`'s invoice issued before it."""
    if not note.invoice_id:
        return Decimal("0.00")
    return sum((c.total_ttc for c in session.execute(
        select(Invoice).where(Invoice.invoice_id == note.invoice_id,
                              Invoice.sequence < note.sequence)).scalars()), Decimal("0.00"))


def parse_quantities(raw):
    """None (all that is left) or {position: quantity} from {"3": "1", ...}."""
    if raw is None:
        return None
    if not isinstance(raw, dict) or len(raw) > 1000:
        raise invalid("Lignes à créditer invalides.", {"lines": ["Format invalide."]})
    quantities = {}
    for key, value in raw.items():
        try:
            quantities[int(key)] = int(str(value).strip() or "0")
        except ValueError:
            raise invalid("Indiquez des quantités entières positives.",
                          {"lines": ["Quantité invalide."]}) from None
    return quantities


def issue_credit_note(session, invoice_number, quantities, reason, actor_id, now, record):
    """A credit note against the invoice: all that is left (`quantities` None) or some lines."""
    reason = (reason or "").strip()
    if not reason or len(reason) > 1000:
        raise invalid("Indiquez le motif de l'avoir (1 000 caractères au plus).",
                      {"reason": ["Le motif est obligatoire."]})
    quantities = parse_quantities(quantities)
    counter = lock_counter(session)
    inv = load_invoice(session, invoice_number, lock=True)
    if inv.kind != domain.INVOICE:
        raise invalid("Un avoir se rapporte à une facture, pas à un autre avoir.")
    invoice_lines = [presenters.line_values(ln) for ln in inv.lines]
    taken = [presenters.line_values(ln) for c in credit_notes_of(session, inv) for ln in c.lines]
    left = credit_notes.remaining(invoice_lines, taken)
    if all(ln["quantity"] == 0 for ln in left):
        raise conflict(credit_notes.NOTHING_LEFT)
    lines = credit_notes.credit_lines(left, quantities)
    cancels = credit_notes.cancels_invoice(left, lines)
    total = amounts.totals(lines)
    sequence, issued_at, number = take_number(session, counter, now)
    note = Invoice(
        number=number, sequence=sequence, kind=domain.CREDIT_NOTE, order_kind=inv.order_kind,
        order_number=inv.order_number, invoice_id=inv.id, issued_at=issued_at,
        sale_date=inv.sale_date, due_on=numbering.paris(issued_at).date(), paid=False,
        title=inv.title, reference=inv.reference, customer_name=inv.customer_name,
        customer_email=inv.customer_email, customer_address=inv.customer_address,
        client_number=inv.client_number, siret=inv.siret,
        chorus_service_code=inv.chorus_service_code, public_buyer=inv.public_buyer,
        payment_method=inv.payment_method, payment_label=inv.payment_label,
        cheque_number=inv.cheque_number, detail_url=inv.detail_url, total_ht=total["total_ht"],
        vat_total=total["vat_total"], total_ttc=total["total_ttc"], reason=reason,
        issued_by=str(actor_id or "")[:64])
    note.search_key = searched(note)
    session.add(note)
    session.flush()
    _add_lines(session, note, lines)
    if cancels:
        transition(session, Invoice, inv.id, [False], {"cancelled": True}, column="cancelled",
                   message="Cette facture vient d'être annulée par un autre avoir.")
    session.flush()
    session.refresh(note)
    answer = invoice_answer(session, note)
    record(session, "invoice_issued", presenters.issued_event(note, cancels_invoice=cancels,
                                                              credit=answer.get("credit")))
    return answer


CANCELLED_BY_OWNER = "Commande annulée ({reason}) : avoir émis automatiquement."
SYSTEM = "système"


def credit_cancelled_order(session, kind, number, reason, now, record):
    """An invoiced order its owner cancelled by itself (a grouped order failing its minimum at
    the deadline, a required title dropped: no one could issue the credit note first, as the
    bookshop must before cancelling one): its live invoice gets a credit note for all that is
    left, at once, so the books say what happened. None when there is no live invoice (the
    usual case: the bookshop's cancellations come after a credit note)."""
    lock_counter(session)  # an invoice being issued of it commits first, or sees this record
    if session.get(CancelledOrder, (kind, str(number))) is None:
        session.add(CancelledOrder(kind=kind, number=str(number), cancelled_at=now))
        session.flush()
    inv = live_invoice(session, kind, number)
    if inv is None:
        return None
    why = CANCELLED_BY_OWNER.format(reason=" ".join((reason or "sans motif").split())[:900])
    try:
        return issue_credit_note(session, inv.number, None, why, SYSTEM, now, record)
    except DomainError as exc:
        if exc.code == "conflict":  # nothing left to credit: done already
            return None
        raise


NOTE_MAX = 200


def settle_invoice(session, number, note, actor_id, now, record) -> dict:
    """« Marquer réglée »: an invoice not paid at its issue (a collectivity's, on account) is
    marked paid when its transfer or cheque came in, once (a guarded transition: two clicks,
    one settlement, one `invoice_settled`: the order desk's payment column follows). `note`:
    how (« virement du 12/01 », « chèque n° 1234567 »)."""
    note = " ".join(str(note or "").split())
    if len(note) > NOTE_MAX:
        raise invalid(f"Le mode de règlement est trop long ({NOTE_MAX} caractères au plus).",
                      {"note": [f"{NOTE_MAX} caractères au plus."]})
    inv = load_invoice(session, number, lock=True)
    domain.check_settleable(inv.kind, inv.cancelled, inv.paid)
    transition(session, Invoice, inv.id, [False],
               {"paid": True, "settled_at": now, "settled_note": note}, column="paid",
               message="Cette facture vient d'être marquée réglée.")
    session.refresh(inv)
    answer = invoice_answer(session, inv)
    record(session, "invoice_settled", presenters.settled_event(inv, answer["remaining_ttc"]))
    return answer
