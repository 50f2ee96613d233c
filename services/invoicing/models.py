"""invoicing tables: the counter of the one invoice series (a row locked by each issue, in the
same transaction as the invoice it numbers: no gap, no duplicate), the invoices and credit notes
(a snapshot of the order, its buyer and its totals, never changed afterwards, save an invoice's
`cancelled` once credit notes have taken all of it) and their lines."""
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (Boolean, Date, DateTime, ForeignKey, Index, Integer, Numeric, String, Text,
                        false, text)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from services.common.db import make_base

Base = make_base()

MONEY = Numeric(10, 2)
SERIES = "invoices"


class Counter(Base):
    """One row per series (there is one: "invoices"; credit notes share it)."""
    __tablename__ = "invoice_counters"
    name: Mapped[str] = mapped_column(String(20), primary_key=True)
    last_sequence: Mapped[int] = mapped_column(Integer)
    last_issued_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True),
                                                            nullable=True)


class Invoice(Base):
    __tablename__ = "invoices"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    number: Mapped[str] = mapped_column(String(20), unique=True)
    sequence: Mapped[int] = mapped_column(Integer, unique=True)
    kind: Mapped[str] = mapped_column(String(20))  # invoice | credit_note
    order_kind: Mapped[str] = mapped_column(String(30))
    order_number: Mapped[str] = mapped_column(String(64))
    invoice_id: Mapped[int | None] = mapped_column(ForeignKey("invoices.id"), nullable=True)
    issued_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    sale_date: Mapped[date] = mapped_column(Date)
    due_on: Mapped[date] = mapped_column(Date)
    paid: Mapped[bool] = mapped_column(Boolean, server_default=false())
    title: Mapped[str] = mapped_column(String(300))
    reference: Mapped[str] = mapped_column(String(200), server_default="")
    customer_name: Mapped[str] = mapped_column(String(300))
    customer_email: Mapped[str] = mapped_column(String(254), server_default="")
    customer_address: Mapped[str] = mapped_column(Text, server_default="")
    client_number: Mapped[str] = mapped_column(String(40), server_default="")
    siret: Mapped[str] = mapped_column(String(20), server_default="")
    chorus_service_code: Mapped[str] = mapped_column(String(100), server_default="")
    public_buyer: Mapped[bool] = mapped_column(Boolean, server_default=false())
    payment_method: Mapped[str] = mapped_column(String(40), server_default="")
    payment_label: Mapped[str] = mapped_column(String(100), server_default="")
    cheque_number: Mapped[str] = mapped_column(String(40), server_default="")
    total_ht: Mapped[Decimal] = mapped_column(MONEY)
    vat_total: Mapped[Decimal] = mapped_column(MONEY)
    total_ttc: Mapped[Decimal] = mapped_column(MONEY)
    # a sub-order's money handed back / paid more at pickup before its invoice (the net paid)
    refunded_at_pickup: Mapped[Decimal] = mapped_column(MONEY, server_default=text("0"))
    extra_at_pickup: Mapped[Decimal] = mapped_column(MONEY, server_default=text("0"))
    reason: Mapped[str] = mapped_column(Text, server_default="")
    issued_by: Mapped[str] = mapped_column(String(64), server_default="")
    # an invoice that credit notes took entirely: the order may be invoiced again
    cancelled: Mapped[bool] = mapped_column(Boolean, server_default=false())
    # folded number, customer, client number, SIRET, reference, order (domain.register)
    search_key: Mapped[str] = mapped_column(String(600), server_default="")
    # the customer's own page of the order (its document's `detail_url`), for the mail
    detail_url: Mapped[str] = mapped_column(String(500), server_default="", default="")
    # an invoice on account marked paid by the bookshop (« Marquer réglée »): when, and how
    settled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    settled_note: Mapped[str] = mapped_column(String(200), server_default="", default="")
    # a credit note's invoice
    invoice: Mapped["Invoice | None"] = relationship(remote_side=[id], lazy="selectin")
    lines: Mapped[list["InvoiceLine"]] = relationship(
        back_populates="invoice", lazy="selectin", order_by="InvoiceLine.position")
    __table_args__ = (
        # one live invoice per order: a double click, or two instances, give one invoice
        Index("uq_invoices_live_order", "order_kind", "order_number", unique=True,
              postgresql_where=text("kind = 'invoice' AND cancelled = false"),
              sqlite_where=text("kind = 'invoice' AND cancelled = 0")),
        Index("ix_invoices_order", "order_kind", "order_number"),
        Index("ix_invoices_issued_at", "issued_at"),
    )


class InvoiceLine(Base):
    """A line as invoiced (or credited: `position` is the invoice line's it credits)."""
    __tablename__ = "invoice_lines"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    invoice_id: Mapped[int] = mapped_column(ForeignKey("invoices.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    ean: Mapped[str] = mapped_column(String(20), server_default="")
    title: Mapped[str] = mapped_column(String(500))
    publisher: Mapped[str] = mapped_column(String(200), server_default="")
    quantity: Mapped[int] = mapped_column(Integer)
    vat_rate: Mapped[Decimal] = mapped_column(Numeric(4, 1))
    unit_price_ht: Mapped[Decimal] = mapped_column(MONEY)
    unit_price_ttc: Mapped[Decimal] = mapped_column(MONEY)
    total_ht: Mapped[Decimal] = mapped_column(MONEY)
    vat_amount: Mapped[Decimal] = mapped_column(MONEY)
    total_ttc: Mapped[Decimal] = mapped_column(MONEY)
    # a collectivity's discount on the line, printed with it (None: no discount granted)
    public_price_ttc: Mapped[Decimal | None] = mapped_column(MONEY, nullable=True)
    discount_percent: Mapped[Decimal | None] = mapped_column(Numeric(5, 2), nullable=True)
    invoice: Mapped[Invoice] = relationship(back_populates="lines")


class CancelledOrder(Base):
    """An order its owner cancelled (sub_order_cancelled, a cancelled
    collectivity_order_status_changed), recorded under the series' lock: an invoice whose
    document was read just before the cancellation is refused if the cancellation came first,
    or credited at once if the invoice did."""
    __tablename__ = "cancelled_orders"
    kind: Mapped[str] = mapped_column(String(30), primary_key=True)
    number: Mapped[str] = mapped_column(String(20), primary_key=True)
    cancelled_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
