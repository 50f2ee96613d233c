"""The baseline of benchmark P1: the smallest honest monolith doing what a parent's subscription
form does — one Flask process per gunicorn worker, SQLAlchemy Core on one PostgreSQL database,
the same page, session and CSRF check (flask-wtf), the same checks of the buyer's fields
(email-validator), the same writes (a sub-order, its payment attempt and the payment with its
idempotency key, in one transaction), answered by a 303 to its payment page, which reads the
payment and answers a 303 to the provider (as the suite's payment page does).

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
from sqlalchemy import (
    Column,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    MetaData,
    Numeric,
    String,
    Table,
    create_engine,
    insert,
    select,
)

metadata = MetaData()


def _stamped(name, *columns):
    """A table whose rows have a state and are stamped with their creation time."""
    return Table(name, metadata, *columns, Column("state", String(30)),
                 Column("created_at", DateTime(timezone=True)))


grouped_orders = Table(
    "grouped_orders", metadata,
    Column("number", Integer, primary_key=True),
    Column("token", String(64), unique=True),
    Column("status", String(30)),
    Column("title", String(300)),
    Column("unit_price", Numeric(10, 2)),
    Column("deadline", Date))

sub_orders = Table(
    "sub_orders", metadata,
    Column("number", Integer, primary_key=True),
    Column("grouped_order_number", ForeignKey("grouped_orders.number"), index=True),
    Column("buyer_token", String(64), unique=True),
    Column("first_name", String(100)),
    Column("last_name", String(100)),
    Column("email", String(254)),
    Column("quantity", Integer),
    Column("unit_price", Numeric(10, 2)),
    Column("status", String(30)),
    Column("created_at", DateTime(timezone=True)))

payment_attempts = _stamped(
    "payment_attempts",
    Column("id", Integer, primary_key=True),
    Column("sub_order_number", ForeignKey("sub_orders.number"), index=True),
    Column("idempotency_key", String(80), unique=True))

payments = _stamped(
    "payments",
    Column("id", String(40), primary_key=True),
    Column("idempotency_key", String(80), unique=True),
    Column("reference", String(40)),
    Column("amount", Numeric(10, 2)))


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
    app = Flask(__name__)
    app.config.update(SECRET_KEY="monolith-bench", WTF_CSRF_TIME_LIMIT=None)
    CSRFProtect(app)

    def open_order(conn, token):
        go = conn.execute(select(grouped_orders).where(
            grouped_orders.c.token == token[:64])).first()
        if go is None:
            abort(404)
        return go

    @app.route("/souscription/<token>", methods=["GET", "POST"])
    def subscribe(token):
        with engine.begin() as conn:
            go = open_order(conn, token)
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
            sub_number = conn.execute(insert(sub_orders).returning(sub_orders.c.number).values(
                grouped_order_number=go.number, buyer_token=secrets.token_urlsafe(24),
                first_name=first[:100], last_name=last[:100], email=email, quantity=quantity,
                unit_price=go.unit_price, status="awaiting_payment", created_at=now)).scalar_one()
            key = f"sub-{sub_number}-{secrets.token_hex(8)}"
            conn.execute(insert(payment_attempts).values(
                sub_order_number=sub_number, idempotency_key=key, state="processing",
                created_at=now))
            payment_id = secrets.token_hex(16)
            conn.execute(insert(payments).values(
                id=payment_id, idempotency_key=key, reference=f"sub_order:{sub_number}",
                amount=go.unit_price * quantity, state="pending", created_at=now))
        return redirect(f"/paiement/{payment_id}", code=303)

    @app.get("/paiement/<payment_id>")
    def payment(payment_id):
        """The page the POST's 303 leads to: the payment (made by the POST) read, then the
        provider's page (303), as the suite's payment page answers."""
        with engine.connect() as conn:
            found = conn.execute(select(payments.c.id, payments.c.state).where(
                payments.c.id == payment_id[:40])).first()
        if found is None:
            abort(404)
        return redirect(f"http://provider.test/checkout/{found.id}", code=303)

    return app


def setup(url) -> str:
    engine = create_engine(url)
    metadata.drop_all(engine)
    metadata.create_all(engine)
    token = secrets.token_urlsafe(24)
    with engine.begin() as conn:
        conn.execute(insert(grouped_orders).values(
            token=token, status="open", title="WESTERN COQUILLETTES",
            unit_price=Decimal("14.90"), deadline=date.today() + timedelta(days=3)))
    engine.dispose()
    return token


if __name__ == "__main__":
    if sys.argv[1:2] == ["setup"]:
        print(setup(sys.argv[2]))
