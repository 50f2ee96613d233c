"""order_desk tables: the register of every order the bookshop receives (one row per order,
named by (kind, number)), fed by the owners' events."""
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (Date, DateTime, Index, Integer, Numeric, String, UniqueConstraint)
from sqlalchemy.orm import Mapped, mapped_column

from services.common.db import make_base
from services.common.progress import REGISTERED

Base = make_base()


class RegisterEntry(Base):
    """One order of any kind as the desk knows it. Every fact is nullable or has a default:
    the owners' events may arrive in any order, each sets what it knows."""
    __tablename__ = "register"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(30))
    number: Mapped[int] = mapped_column(Integer)
    grouped_order_number: Mapped[int | None] = mapped_column(Integer, nullable=True)
    customer_name: Mapped[str] = mapped_column(String(200), default="")
    customer_email: Mapped[str] = mapped_column(String(254), default="")
    client_name: Mapped[str] = mapped_column(String(200), default="")
    client_number: Mapped[str] = mapped_column(String(40), default="")
    # folded (accents and case off) name, e-mail and client name: the customer filter and sort
    search_key: Mapped[str] = mapped_column(String(700), default="")
    total_ttc: Mapped[Decimal] = mapped_column(Numeric(12, 2), default=Decimal("0.00"))
    placed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    placed_day: Mapped[date | None] = mapped_column(Date, nullable=True)  # in Paris
    payment_state: Mapped[str | None] = mapped_column(String(20), nullable=True)
    payment_label: Mapped[str | None] = mapped_column(String(60), nullable=True)
    payment_method: Mapped[str | None] = mapped_column(String(20), nullable=True)
    cheque_number: Mapped[str | None] = mapped_column(String(40), nullable=True)
    payment_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    progress: Mapped[str] = mapped_column(String(20), default=REGISTERED)
    progress_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    invoice_number: Mapped[str | None] = mapped_column(String(20), nullable=True)
    # the latest invoice of the order that credit notes took entirely (`cancels_invoice`): while
    # it is `invoice_number` (not re-invoiced since), the order is « annulée par avoir »
    credited_invoice: Mapped[str | None] = mapped_column(String(20), nullable=True)
    # what partial credit notes took off its live invoice (TTC): the calendar and the list
    # count the order for its total less this (a credit note taking the whole invoice sets it
    # back to 0: the order is then « annulée par avoir », or invoiced again from scratch)
    credited_ttc: Mapped[Decimal] = mapped_column(Numeric(12, 2), default=Decimal("0.00"),
                                                  server_default="0")
    batch_number: Mapped[int | None] = mapped_column(Integer, nullable=True)
    # a collectivity's order or quote: who placed it and who made its basket, besides its
    # client's contact (customer_email), space-separated: its progress mails go to them too
    cc_emails: Mapped[str | None] = mapped_column(String(600), nullable=True)
    detail_url: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    __table_args__ = (UniqueConstraint("kind", "number", name="uq_register_kind_number"),
                      Index("ix_register_placed_day", "placed_day"),
                      Index("ix_register_placed_at", "placed_at"))


class ProgressHistory(Base):
    """One move of an order's progress (references 002 §2, 003 step 2): who, when, from -> to,
    the comment (a cancellation's reason). `from_status` is null for none."""
    __tablename__ = "progress_history"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(30))
    number: Mapped[int] = mapped_column(Integer)
    from_status: Mapped[str | None] = mapped_column(String(20), nullable=True)
    to_status: Mapped[str] = mapped_column(String(20))
    by: Mapped[str] = mapped_column(String(254), default="")
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    comment: Mapped[str] = mapped_column(String(1000), default="")
    __table_args__ = (Index("ix_progress_history_order", "kind", "number"),)


class ProgressRequest(Base):
    """A move the bookshop asked of the order's owner from the desk (cancel, make available,
    ship, close...): who asked and why, until the owner's event moves the progress and writes
    them in the history."""
    __tablename__ = "progress_requests"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(30))
    number: Mapped[int] = mapped_column(Integer)
    to_status: Mapped[str] = mapped_column(String(20))
    by: Mapped[str] = mapped_column(String(254), default="")
    comment: Mapped[str] = mapped_column(String(1000), default="")
    asked_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    __table_args__ = (Index("ix_progress_requests_order", "kind", "number", "to_status"),)
