"""grouped_orders tables: grouped orders (with a snapshot of the article at its public price),
their sub-orders, and each sub-order's payment attempts."""
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import JSON, Boolean, Date, DateTime, ForeignKey, Integer, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from services.common.db import make_base

Base = make_base()


class GroupedOrder(Base):
    __tablename__ = "grouped_orders"
    number: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    status: Mapped[str] = mapped_column(String(30), index=True)
    initiator_id: Mapped[int] = mapped_column(Integer, index=True)
    initiator_email: Mapped[str] = mapped_column(String(254))
    client_number: Mapped[str] = mapped_column(String(40))
    client_name: Mapped[str] = mapped_column(String(200))
    contact_email: Mapped[str] = mapped_column(String(254), default="")
    contact_phone: Mapped[str] = mapped_column(String(40), default="")
    article: Mapped[dict] = mapped_column(JSON)
    unit_price: Mapped[Decimal] = mapped_column(Numeric(10, 2))
    deadline: Mapped[date] = mapped_column(Date)
    closes_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    pickup_kind: Mapped[str] = mapped_column(String(20))   # bookshop | collectivity
    pickup_label: Mapped[str] = mapped_column(Text)
    billing_label: Mapped[str] = mapped_column(Text, default="")
    comment: Mapped[str] = mapped_column(Text, default="")
    # how buyers may pay: "online", plus "cheque" and/or "cash" at the bookshop (issue 9)
    payment_methods: Mapped[str] = mapped_column(String(40), default="online",
                                                 server_default="online")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    validated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    made_available_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True),
                                                               nullable=True)
    cancelled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    cancel_reason: Mapped[str] = mapped_column(Text, default="")
    classic_order_number: Mapped[int | None] = mapped_column(Integer, nullable=True)
    librisoft_number: Mapped[str | None] = mapped_column(String(40), nullable=True)
    librisoft_status: Mapped[str | None] = mapped_column(String(100), nullable=True)
    # a cancellation after validation: when the bridge told Librisoft, when Librisoft took it
    librisoft_cancel_told_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True),
                                                                      nullable=True)
    librisoft_cancel_done_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True),
                                                                      nullable=True)
    # loaded when a view needs them, not on every lookup (a subscription must not read the
    # whole list of its grouped order's sub-orders)
    subs: Mapped[list["SubOrder"]] = relationship(back_populates="grouped_order",
                                                  order_by="SubOrder.number", lazy="select")


class SubOrder(Base):
    __tablename__ = "sub_orders"
    number: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    grouped_order_number: Mapped[int] = mapped_column(ForeignKey("grouped_orders.number"),
                                                      index=True)
    buyer_token: Mapped[str] = mapped_column(String(64), unique=True)
    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100))
    email: Mapped[str] = mapped_column(String(254))
    quantity: Mapped[int] = mapped_column(Integer)
    unit_price: Mapped[Decimal] = mapped_column(Numeric(10, 2))
    status: Mapped[str] = mapped_column(String(30))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    paid_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    paid_manually: Mapped[bool] = mapped_column(default=False)
    # the buyer's choice (online | cheque | cash), then how it was paid; a cheque's number
    payment_method: Mapped[str] = mapped_column(String(10), default="online",
                                                server_default="online")
    cheque_number: Mapped[str | None] = mapped_column(String(7), nullable=True)
    cancelled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    cancel_reason: Mapped[str] = mapped_column(Text, default="")
    paid_payment_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    refund_state: Mapped[str | None] = mapped_column(String(20), nullable=True)
    refunded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    last_payment_state: Mapped[str | None] = mapped_column(String(20), nullable=True)
    grouped_order: Mapped[GroupedOrder] = relationship(back_populates="subs")
    attempts: Mapped[list["PaymentAttempt"]] = relationship(
        back_populates="sub_order", order_by="PaymentAttempt.id", lazy="selectin")


class PaymentAttempt(Base):
    __tablename__ = "payment_attempts"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    sub_order_number: Mapped[int] = mapped_column(ForeignKey("sub_orders.number"), index=True)
    payment_id: Mapped[str | None] = mapped_column(String(64), nullable=True, unique=True)
    idempotency_key: Mapped[str] = mapped_column(String(80), unique=True)
    state: Mapped[str] = mapped_column(String(20))
    redirect_url: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # money that arrived although it was not owed (after a refusal, a cancellation, twice):
    # refunded automatically, and why
    refund_state: Mapped[str | None] = mapped_column(String(20), nullable=True)
    refund_reason: Mapped[str] = mapped_column(String(200), default="")
    refund_amount: Mapped[Decimal | None] = mapped_column(Numeric(10, 2), nullable=True)
    refunded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    sub_order: Mapped[SubOrder] = relationship(back_populates="attempts")


class InvoicedOrder(Base):
    """An order of ours (a sub-order) that invoicing has invoiced (`invoice_issued`): while its
    invoice is live, the order can no longer be cancelled; a credit note that cancels the whole
    invoice makes it live no more (issue 9, reference 003 step 2)."""
    __tablename__ = "invoiced_orders"
    kind: Mapped[str] = mapped_column(String(30), primary_key=True)
    number: Mapped[int] = mapped_column(Integer, primary_key=True)
    invoice_number: Mapped[str] = mapped_column(String(20))
    live: Mapped[bool] = mapped_column(Boolean)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
