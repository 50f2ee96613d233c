"""logistics tables: the orders it has heard of (and their lines), the batches handed to the
logistician (each order in one batch at most: a unique key), a batch's file rows, and the
deliveries of a batch to the logistician's URL (an outbox of signed POSTs)."""
from datetime import datetime

from sqlalchemy import (DateTime, ForeignKey, Index, Integer, String, Text,
                        UniqueConstraint)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from services.common.db import make_base

Base = make_base()


class Order(Base):
    """An order as logistics knows it: its customer, where it goes, its lines, its state
    (domain.orders: known / ready / handed_off / withdrawn) and the batch that took it."""
    __tablename__ = "orders"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(30))
    number: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20))
    customer: Mapped[str] = mapped_column(String(300), default="")
    destination: Mapped[str] = mapped_column(Text, default="")
    ready_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    batch_number: Mapped[int | None] = mapped_column(Integer, nullable=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    lines: Mapped[list["OrderLine"]] = relationship(
        back_populates="order", lazy="selectin", order_by="OrderLine.position",
        cascade="all, delete-orphan")
    __table_args__ = (UniqueConstraint("kind", "number", name="uq_orders_kind_number"),
                      Index("ix_orders_status", "status", "ready_at"))


class OrderLine(Base):
    __tablename__ = "order_lines"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    ean: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(500))
    quantity: Mapped[int] = mapped_column(Integer)
    order: Mapped[Order] = relationship(back_populates="lines")


class Counter(Base):
    """The last batch number given (one row, locked while a batch is numbered: no gap, no
    duplicate)."""
    __tablename__ = "counters"
    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[int] = mapped_column(Integer)


class Batch(Base):
    __tablename__ = "batches"
    number: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    created_by: Mapped[str] = mapped_column(String(254))
    order_count: Mapped[int] = mapped_column(Integer)
    line_count: Mapped[int] = mapped_column(Integer)
    quantity_total: Mapped[int] = mapped_column(Integer)
    json_file: Mapped[str] = mapped_column(Text)        # the JSON file, as posted (UTF-8 text)
    orders: Mapped[list["BatchOrder"]] = relationship(lazy="selectin",
                                                      order_by="BatchOrder.position")
    rows: Mapped[list["BatchRow"]] = relationship(lazy="selectin", order_by="BatchRow.position")
    delivery: Mapped["Delivery | None"] = relationship(lazy="selectin", uselist=False)


class BatchOrder(Base):
    """An order handed off, in its batch: (kind, number) is unique, so an order is handed off
    once even if every other guard failed."""
    __tablename__ = "batch_orders"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    batch_number: Mapped[int] = mapped_column(ForeignKey("batches.number"))
    position: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(30))
    number: Mapped[int] = mapped_column(Integer)
    __table_args__ = (UniqueConstraint("kind", "number", name="uq_batch_orders_order"),)


class BatchRow(Base):
    """A row of the batch file (one line of one order), frozen when the batch was made."""
    __tablename__ = "batch_rows"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    batch_number: Mapped[int] = mapped_column(ForeignKey("batches.number"))
    position: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(30))
    number: Mapped[int] = mapped_column(Integer)
    reference: Mapped[str] = mapped_column(String(100))
    customer: Mapped[str] = mapped_column(String(300))
    destination: Mapped[str] = mapped_column(Text)
    ean: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(500))
    quantity: Mapped[int] = mapped_column(Integer)


class Delivery(Base):
    """The batch's signed POST to the logistician, written with the batch (same transaction),
    sent and retried by the service's timer until a 2xx (claimed with SKIP LOCKED, leased)."""
    __tablename__ = "deliveries"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    batch_number: Mapped[int] = mapped_column(ForeignKey("batches.number"), unique=True)
    url: Mapped[str] = mapped_column(String(2000))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    first_sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True),
                                                           nullable=True)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    acknowledged_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True),
                                                             nullable=True)
    last_status: Mapped[int | None] = mapped_column(Integer, nullable=True)
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)
    __table_args__ = (Index("ix_deliveries_due", "acknowledged_at", "next_attempt_at"),)
