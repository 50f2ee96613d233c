"""librisoft_bridge tables: the articles and collectivity clients Librisoft pushes, the API keys
of the webservice, and the classic orders Librisoft picks up. Money and discounts are Numeric,
never float."""
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (JSON, Boolean, Date, DateTime, ForeignKey, Index, Integer, Numeric,
                        String, Text, UniqueConstraint, false)
from sqlalchemy.orm import Mapped, mapped_column

from services.common.db import make_base

from .domain.articles import ARTICLE_TEXT_SIZES as A
from .domain.clients import CLIENT_TEXT_SIZES as C
from .domain.orders import ORDER_TEXT_SIZES as O

Base = make_base()


class Article(Base):
    __tablename__ = "articles"
    __table_args__ = (Index("ix_articles_title", "title"),)

    ean: Mapped[str] = mapped_column(String(13), primary_key=True)
    title: Mapped[str] = mapped_column(String(A["title"]))
    author: Mapped[str | None] = mapped_column(String(A["author"]))
    publisher: Mapped[str | None] = mapped_column(String(A["publisher"]))
    collection: Mapped[str | None] = mapped_column(String(A["collection"]))
    genre: Mapped[str | None] = mapped_column(String(A["genre"]))
    publication_date: Mapped[date | None] = mapped_column(Date)
    format: Mapped[str | None] = mapped_column(String(A["format"]))
    weight_g: Mapped[int | None] = mapped_column(Integer)
    height_mm: Mapped[int | None] = mapped_column(Integer)
    width_mm: Mapped[int | None] = mapped_column(Integer)
    thickness_mm: Mapped[int | None] = mapped_column(Integer)
    price_ttc: Mapped[Decimal] = mapped_column(Numeric(10, 2))
    vat_rate: Mapped[str] = mapped_column(String(3))
    school_book: Mapped[bool] = mapped_column(Boolean)
    availability: Mapped[str] = mapped_column(String(20))
    summary: Mapped[str | None] = mapped_column(Text)
    search_text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Client(Base):
    """A collectivity client; one that lost the flag in Librisoft is kept with active=False."""
    __tablename__ = "clients"

    number: Mapped[str] = mapped_column(String(C["number"]), primary_key=True)
    name: Mapped[str] = mapped_column(String(C["name"]))
    addresses: Mapped[list] = mapped_column(JSON)
    phone: Mapped[str] = mapped_column(String(C["phone"]))
    email: Mapped[str] = mapped_column(String(C["email"]))
    gencod: Mapped[str] = mapped_column(String(13))
    discount_2_1: Mapped[Decimal] = mapped_column(Numeric(5, 2))
    discount_5_5: Mapped[Decimal] = mapped_column(Numeric(5, 2))
    discount_20: Mapped[Decimal] = mapped_column(Numeric(5, 2))
    discount_school: Mapped[Decimal] = mapped_column(Numeric(5, 2))
    lang_law_warning: Mapped[bool] = mapped_column(Boolean)
    blocked: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    active: Mapped[bool] = mapped_column(Boolean)
    revision: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ApiKey(Base):
    """A webservice key, stored as its sha256 hex digest; the key itself is shown once."""
    __tablename__ = "api_keys"
    __table_args__ = (UniqueConstraint("key_hash", name="uq_api_keys_key_hash"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    bookshop_code: Mapped[str] = mapped_column(String(50))
    key_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Order(Base):
    """A classic order, as Librisoft picks it up: the duplicate of a validated grouped order, a
    collectivity's quote request or a collectivity order. `number` is the bridge's own sequence;
    one source (kind, number) gives at most one order, however often its event arrives. The
    columns a grouped order does not have (its reference, contact name and phone, HT and VAT
    totals) are null for it."""
    __tablename__ = "orders"
    __table_args__ = (UniqueConstraint("source_kind", "source_number", name="uq_orders_source"),
                      Index("ix_orders_state", "state", "number"))

    number: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    source_kind: Mapped[str] = mapped_column(String(30))
    source_number: Mapped[int] = mapped_column(Integer)
    client_number: Mapped[str] = mapped_column(String(O["client_number"]))
    client_name: Mapped[str] = mapped_column(String(O["client_name"]))
    initiator_email: Mapped[str] = mapped_column(String(O["initiator_email"]))
    contact_email: Mapped[str] = mapped_column(String(O["contact_email"]))
    contact_name: Mapped[str | None] = mapped_column(String(O["contact_name"]))
    contact_phone: Mapped[str | None] = mapped_column(String(O["contact_phone"]))
    reference: Mapped[str | None] = mapped_column(String(O["reference"]))  # Référence collectivité
    pickup_label: Mapped[str] = mapped_column(Text)  # pickup place, or delivery address
    billing_label: Mapped[str] = mapped_column(Text)
    comment: Mapped[str] = mapped_column(Text)
    total_ttc: Mapped[Decimal] = mapped_column(Numeric(14, 2))
    discount_total: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    subtotal_ht: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    vat_total: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    state: Mapped[str] = mapped_column(String(20))  # pending | picked_up
    picked_up_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    librisoft_number: Mapped[str | None] = mapped_column(String(O["librisoft_number"]))
    librisoft_status: Mapped[str | None] = mapped_column(String(O["librisoft_status"]))
    status_updated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # cancelled on the suite's side (grouped order or collectivity order cancelled): Librisoft
    # lists it among the cancellations to apply and acknowledges it, like a pickup
    cancelled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    cancel_reason: Mapped[str | None] = mapped_column(Text)
    cancellation_acknowledged_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    placed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))  # e.g. validated_at
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class OrderLine(Base):
    """A line as Librisoft takes it. For a grouped order `unit_price_ttc` is the public price and
    the discount columns are null; for a quote or collectivity order they are the frozen prices
    of baskets (unit price after discount, rounded to the cent; total = unit price × quantity =
    public total less the discount)."""
    __tablename__ = "order_lines"
    __table_args__ = (UniqueConstraint("order_number", "position", name="uq_order_lines_position"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    order_number: Mapped[int] = mapped_column(ForeignKey("orders.number", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    ean: Mapped[str] = mapped_column(String(13))
    title: Mapped[str] = mapped_column(String(A["title"]))
    vat_rate: Mapped[str] = mapped_column(String(3))
    quantity: Mapped[int] = mapped_column(Integer)
    public_price_ttc: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))
    discount_percent: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    unit_price_ttc: Mapped[Decimal] = mapped_column(Numeric(10, 2))
    discount_amount: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    total_ttc: Mapped[Decimal] = mapped_column(Numeric(14, 2))
    total_ht: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    vat_amount: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))


articles = Article.__table__
clients = Client.__table__
api_keys = ApiKey.__table__
orders = Order.__table__
order_lines = OrderLine.__table__
