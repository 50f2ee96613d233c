"""baskets tables: the baskets (with a snapshot of each article and of the client's discounts,
refreshed while the basket is open), their history; the quote requests and orders made from
them (lines frozen at their prices), their history; the numbering of each kind of document.

Other services' ids (accounts, clients, articles) are plain columns, never foreign keys."""
from datetime import datetime, timezone
from decimal import Decimal

from sqlalchemy import (JSON, Boolean, DateTime, ForeignKey, Integer, Numeric, String, Text,
                        UniqueConstraint)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from services.common.db import make_base

Base = make_base()


def Money():
    return Numeric(12, 2)


def aware(value: datetime | None) -> datetime | None:
    """SQLite gives naive datetimes back; every time stored here is UTC."""
    if value is None:
        return None
    return value if value.tzinfo is not None else value.replace(tzinfo=timezone.utc)


def children(parent: str, order_by: str):
    """A parent's rows (lines, history), loaded with it, in order, deleted with it."""
    return relationship(back_populates=parent, order_by=order_by, lazy="selectin",
                        cascade="all, delete-orphan")


class Basket(Base):
    __tablename__ = "baskets"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(100))
    client_number: Mapped[str] = mapped_column(String(40), index=True)
    client_name: Mapped[str] = mapped_column(String(200))
    owner_id: Mapped[int] = mapped_column(Integer, index=True)
    owner_email: Mapped[str] = mapped_column(String(254))
    owner_role: Mapped[str] = mapped_column(String(20))
    level: Mapped[int] = mapped_column(Integer, index=True)        # domain.DRAFT ... TRANSFORMED
    path: Mapped[list] = mapped_column(JSON)                         # the levels visited
    locked: Mapped[bool] = mapped_column(Boolean, default=False)
    discounts: Mapped[dict] = mapped_column(JSON)                    # the client's, last known
    document_kind: Mapped[str | None] = mapped_column(String(20), nullable=True)
    document_number: Mapped[int | None] = mapped_column(Integer, nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    transformed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True),
                                                            nullable=True)
    lines: Mapped[list["BasketLine"]] = children("basket", "BasketLine.id")
    history: Mapped[list["BasketEvent"]] = children("basket", "BasketEvent.id")


class BasketLine(Base):
    """One article of a basket and the snapshot of the article it was priced from."""
    __tablename__ = "basket_lines"
    __table_args__ = (UniqueConstraint("basket_id", "ean", name="uq_basket_lines_ean"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    basket_id: Mapped[int] = mapped_column(ForeignKey("baskets.id", ondelete="CASCADE"),
                                           index=True)
    ean: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(300))
    author: Mapped[str] = mapped_column(String(300), default="")
    publisher: Mapped[str] = mapped_column(String(300), default="")
    price_ttc: Mapped[Decimal] = mapped_column(Money())             # public unit price TTC
    vat_rate: Mapped[str] = mapped_column(String(5))
    school_book: Mapped[bool] = mapped_column(Boolean, default=False)
    quantity: Mapped[int] = mapped_column(Integer)
    added_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    priced_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    basket: Mapped[Basket] = relationship(back_populates="lines")


class BasketEvent(Base):
    """One line of a basket's history: who, when, what, from which level to which, comment."""
    __tablename__ = "basket_history"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    basket_id: Mapped[int] = mapped_column(ForeignKey("baskets.id", ondelete="CASCADE"),
                                           index=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    actor_id: Mapped[int] = mapped_column(Integer)
    actor_email: Mapped[str] = mapped_column(String(254))
    actor_role: Mapped[str] = mapped_column(String(20))
    action: Mapped[str] = mapped_column(String(20))
    from_level: Mapped[int] = mapped_column(Integer)
    to_level: Mapped[int] = mapped_column(Integer)
    comment: Mapped[str] = mapped_column(Text, default="")
    basket: Mapped[Basket] = relationship(back_populates="history")


class DocumentCounter(Base):
    """The last number given to each kind of document ("quote", "order")."""
    __tablename__ = "document_counters"
    kind: Mapped[str] = mapped_column(String(20), primary_key=True)
    last: Mapped[int] = mapped_column(Integer)


class Document(Base):
    """A quote request or an order made from a basket: numbered per kind, frozen."""
    __tablename__ = "documents"
    __table_args__ = (UniqueConstraint("kind", "number", name="uq_documents_kind_number"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(20))                    # quote | order
    number: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20), index=True)
    client_number: Mapped[str] = mapped_column(String(40), index=True)
    client_name: Mapped[str] = mapped_column(String(200))
    basket_id: Mapped[int] = mapped_column(Integer)
    basket_name: Mapped[str] = mapped_column(String(100))
    basket_creator_id: Mapped[int] = mapped_column(Integer)
    basket_creator_email: Mapped[str] = mapped_column(String(254))
    placed_by_id: Mapped[int] = mapped_column(Integer)
    placed_by_email: Mapped[str] = mapped_column(String(254))
    reference: Mapped[str] = mapped_column(String(50), index=True)
    comment: Mapped[str] = mapped_column(Text, default="")
    contact_name: Mapped[str] = mapped_column(String(200), default="")
    contact_email: Mapped[str] = mapped_column(String(254), default="")
    contact_phone: Mapped[str] = mapped_column(String(40), default="")
    delivery_label: Mapped[str] = mapped_column(Text, default="")
    billing_label: Mapped[str] = mapped_column(Text, default="")
    delivery_client_number: Mapped[str] = mapped_column(String(40))
    billing_client_number: Mapped[str] = mapped_column(String(40))
    delivery_mode: Mapped[str] = mapped_column(String(20))
    payment_mode: Mapped[str] = mapped_column(String(40))
    line_count: Mapped[int] = mapped_column(Integer)
    article_count: Mapped[int] = mapped_column(Integer)
    discount_total: Mapped[Decimal] = mapped_column(Money())
    subtotal_ht: Mapped[Decimal] = mapped_column(Money())
    vat_total: Mapped[Decimal] = mapped_column(Money())
    subtotal_ttc: Mapped[Decimal] = mapped_column(Money())
    total_ttc: Mapped[Decimal] = mapped_column(Money())
    placed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    archived_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    classic_order_number: Mapped[int | None] = mapped_column(Integer, nullable=True)
    librisoft_number: Mapped[str | None] = mapped_column(String(40), nullable=True, index=True)
    librisoft_status: Mapped[str | None] = mapped_column(String(100), nullable=True)
    librisoft_updated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True),
                                                                  nullable=True)
    picked_up_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    made_available_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True),
                                                               nullable=True)
    shipped_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    cancelled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    cancel_reason: Mapped[str] = mapped_column(Text, default="")
    # folded client name and number, reference, contact, e-mails (domain.filters.search_key):
    # the bookshop's search, accents and case ignored
    search_key: Mapped[str] = mapped_column(String(800), default="", server_default="")
    lines: Mapped[list["DocumentLine"]] = children("document", "DocumentLine.position")
    history: Mapped[list["DocumentEvent"]] = children("document", "DocumentEvent.id")


class DocumentLine(Base):
    """A line frozen at its price when the basket was transformed."""
    __tablename__ = "document_lines"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"),
                                             index=True)
    position: Mapped[int] = mapped_column(Integer)
    ean: Mapped[str] = mapped_column(String(20), index=True)
    title: Mapped[str] = mapped_column(String(300))
    author: Mapped[str] = mapped_column(String(300), default="")
    publisher: Mapped[str] = mapped_column(String(300), default="")
    quantity: Mapped[int] = mapped_column(Integer)
    vat_rate: Mapped[str] = mapped_column(String(5))
    school_book: Mapped[bool] = mapped_column(Boolean, default=False)
    public_price_ttc: Mapped[Decimal] = mapped_column(Money())
    public_price_ht: Mapped[Decimal] = mapped_column(Money())
    unit_price_ttc: Mapped[Decimal] = mapped_column(Money())
    discount_percent: Mapped[Decimal] = mapped_column(Numeric(5, 2))
    discount_amount: Mapped[Decimal] = mapped_column(Money())
    total_ttc: Mapped[Decimal] = mapped_column(Money())
    total_ht: Mapped[Decimal] = mapped_column(Money())
    vat_amount: Mapped[Decimal] = mapped_column(Money())
    lang_law_capped: Mapped[bool] = mapped_column(Boolean, default=False)
    document: Mapped[Document] = relationship(back_populates="lines")


class DocumentEvent(Base):
    """One line of a document's history: placed, picked up by Librisoft, the bookshop's
    actions, its messages to the client."""
    __tablename__ = "document_history"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"),
                                             index=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    actor_id: Mapped[int | None] = mapped_column(Integer, nullable=True)   # None: Librisoft
    actor_email: Mapped[str] = mapped_column(String(254), default="")
    action: Mapped[str] = mapped_column(String(30))
    from_status: Mapped[str] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    comment: Mapped[str] = mapped_column(Text, default="")
    document: Mapped[Document] = relationship(back_populates="history")


class InvoicedOrder(Base):
    """A collectivity order that invoicing has invoiced (`invoice_issued`): while its invoice
    is live, the order can no longer be cancelled; a credit note that cancels the whole invoice
    makes it live no more (issue 9, reference 003 step 2)."""
    __tablename__ = "invoiced_orders"
    kind: Mapped[str] = mapped_column(String(30), primary_key=True)
    number: Mapped[int] = mapped_column(Integer, primary_key=True)
    invoice_number: Mapped[str] = mapped_column(String(20))
    live: Mapped[bool] = mapped_column(Boolean)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
