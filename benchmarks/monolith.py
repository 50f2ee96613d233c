"""The baseline of benchmark P1: the smallest honest monolith doing what a parent's subscription
form does — one Flask process per gunicorn worker, SQLAlchemy ORM on one PostgreSQL database,
the same page, session and CSRF check (flask-wtf), the same checks of the buyer's fields
(email-validator), the same writes (a sub-order, its payment attempt and the payment with its
idempotency key, in one transaction), answered by the same 303 to the payment page.

    MONOLITH_DATABASE_URL=postgresql+psycopg2://postgres@127.0.0.1/bench_monolith \
        gunicorn -w 4 -b 127.0.0.1:8300 'benchmarks.monolith:create_app()'

`python -m benchmarks.monolith setup URL` creates its tables and one open grouped order, and
prints its token. Not part of the product: a yardstick."""
import os
import secrets
import sys
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

from email_validator import EmailNotValidError, validate_email
from flask import Flask, abort, redirect, render_template_string, request
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import (Date, DateTime, ForeignKey, Integer, Numeric, String, create_engine,
                        select)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, sessionmaker


class Base(DeclarativeBase):
    pass


class GroupedOrder(Base):
    __tablename__ = "grouped_orders"
    number: Mapped[int] = mapped_column(Integer, primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    status: Mapped[str] = mapped_column(String(30))
    title: Mapped[str] = mapped_column(String(300))
    unit_price: Mapped[Decimal] = mapped_column(Numeric(10, 2))
    deadline: Mapped[date] = mapped_column(Date)


class SubOrder(Base):
    __tablename__ = "sub_orders"
    number: Mapped[int] = mapped_column(Integer, primary_key=True)
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


class PaymentAttempt(Base):
    __tablename__ = "payment_attempts"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sub_order_number: Mapped[int] = mapped_column(ForeignKey("sub_orders.number"), index=True)
    idempotency_key: Mapped[str] = mapped_column(String(80), unique=True)
    state: Mapped[str] = mapped_column(String(30))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Payment(Base):
    __tablename__ = "payments"
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    idempotency_key: Mapped[str] = mapped_column(String(80), unique=True)
    reference: Mapped[str] = mapped_column(String(40))
    amount: Mapped[Decimal] = mapped_column(Numeric(10, 2))
    state: Mapped[str] = mapped_column(String(30))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


PAGE = """<!doctype html><html lang="fr"><head><meta charset="utf-8">
<title>Commander « {{ go.title }} »</title></head><body><h1>{{ go.title }}</h1>
{% if error %}<p role="alert">{{ error }}</p>{% endif %}
<form method="post"><input type="hidden" name="csrf_token" value="{{ csrf_token() }}">
<label>Prénom <input type="text" name="first_name"></label>
<label>Nom <input type="text" name="last_name"></label>
<label>Email <input type="email" name="email"></label>
<label>Quantité <input type="number" name="quantity" value="1"></label>
<label><input type="checkbox" name="accepted_terms" value="1"> J'accepte</label>
<button type="submit">Payer la commande</button></form></body></html>"""


def create_app():
    url = os.environ.get("MONOLITH_DATABASE_URL",
                         "postgresql+psycopg2://postgres@127.0.0.1/bench_monolith")
    engine = create_engine(url, pool_size=5)
    sessions = sessionmaker(engine, expire_on_commit=False)
    app = Flask(__name__)
    app.config.update(SECRET_KEY="monolith-bench", WTF_CSRF_TIME_LIMIT=None)
    CSRFProtect(app)

    def open_order(session, token):
        go = session.scalar(select(GroupedOrder).where(GroupedOrder.token == token[:64]))
        if go is None:
            abort(404)
        return go

    @app.route("/souscription/<token>", methods=["GET", "POST"])
    def subscribe(token):
        with sessions() as session:
            go = open_order(session, token)
            if request.method == "GET":
                return render_template_string(PAGE, go=go, error=None)
            now = datetime.now(timezone.utc)
            if go.status != "open" or now.date() > go.deadline:
                return render_template_string(PAGE, go=go, error="Souscriptions closes."), 409
            form = request.form
            first, last = form.get("first_name", "").strip(), form.get("last_name", "").strip()
            try:
                email = validate_email(form.get("email", ""),
                                       check_deliverability=False).normalized
                quantity = int(form.get("quantity", ""))
            except (EmailNotValidError, ValueError):
                return render_template_string(PAGE, go=go, error="Saisie incorrecte."), 400
            if not (first and last and 1 <= quantity <= 100 and form.get("accepted_terms")):
                return render_template_string(PAGE, go=go, error="Saisie incorrecte."), 400
            sub = SubOrder(grouped_order_number=go.number, buyer_token=secrets.token_urlsafe(24),
                           first_name=first[:100], last_name=last[:100], email=email,
                           quantity=quantity, unit_price=go.unit_price,
                           status="awaiting_payment", created_at=now)
            session.add(sub)
            session.flush()
            key = f"sub-{sub.number}-{secrets.token_hex(8)}"
            session.add(PaymentAttempt(sub_order_number=sub.number, idempotency_key=key,
                                       state="processing", created_at=now))
            payment = Payment(id=secrets.token_hex(16), idempotency_key=key,
                              reference=f"sub_order:{sub.number}",
                              amount=go.unit_price * quantity, state="pending", created_at=now)
            session.add(payment)
            session.commit()
            return redirect(f"/paiement/{payment.id}", code=303)

    return app


def setup(url) -> str:
    engine = create_engine(url)
    Base.metadata.drop_all(engine)
    Base.metadata.create_all(engine)
    token = secrets.token_urlsafe(24)
    with sessionmaker(engine)() as session:
        session.add(GroupedOrder(token=token, status="open", title="WESTERN COQUILLETTES",
                                 unit_price=Decimal("14.90"),
                                 deadline=date.today() + timedelta(days=3)))
        session.commit()
    engine.dispose()
    return token


if __name__ == "__main__":
    if sys.argv[1:2] == ["setup"]:
        print(setup(sys.argv[2]))
