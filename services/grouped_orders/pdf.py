"""The list of sub-orders as a PDF, laid out as the sign-in sheet for the distribution
(a column to sign). WeasyPrint is CPU-bound (seconds for 1,000 rows): the service renders in a
child process (`python -m services.grouped_orders.pdf` reads the view as JSON on stdin, writes
the PDF on stdout) so that its event loop keeps serving other requests."""
import json
import sys
from datetime import date, datetime
from pathlib import Path

from babel.dates import format_date, format_datetime
from babel.numbers import format_currency
from jinja2 import Environment, FileSystemLoader, select_autoescape

_env = Environment(loader=FileSystemLoader(Path(__file__).parent / "templates"),
                   autoescape=select_autoescape(["html"]))


def _when(iso):
    return format_datetime(datetime.fromisoformat(iso), "dd/MM/y (à HH:mm:ss)",
                           tzinfo="Europe/Paris", locale="fr_FR")


def _eur(value):
    return format_currency(value, "EUR", locale="fr_FR")


def html(view: dict) -> str:
    go = dict(view)
    go["created_label"] = format_datetime(datetime.fromisoformat(view["created_at"]),
                                          "dd/MM/y", tzinfo="Europe/Paris", locale="fr_FR")
    go["deadline_label"] = format_date(date.fromisoformat(view["deadline"]), "dd/MM/y",
                                       locale="fr_FR")
    go["unit_price_label"] = _eur(view["unit_price"])
    go["total_awaiting_label"] = _eur(view["summary"]["total_awaiting"])
    go["total_paid_label"] = _eur(view["summary"]["total_paid"])
    go["sub_orders"] = [dict(s, created_label=_when(s["created_at"]),
                             total_label=_eur(s["total"])) for s in view["sub_orders"]]
    return _env.get_template("sign_in_sheet.html").render(go=go)


def render(view: dict) -> bytes:
    from weasyprint import HTML
    return HTML(string=html(view)).write_pdf()


def render_in_child(view: dict, timeout=120) -> bytes:
    """Render in a child process; under eventlet the wait is green (the hub keeps running)."""
    import os

    from eventlet.green import subprocess

    from services.common.config import ROOT
    proc = subprocess.Popen([sys.executable, "-m", "services.grouped_orders.pdf"],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, cwd=str(ROOT),
                            env=dict(os.environ, PYTHONPATH=str(ROOT)))
    out, err = proc.communicate(json.dumps(view).encode(), timeout=timeout)
    if proc.returncode != 0:
        raise RuntimeError(f"PDF rendering failed: {err.decode(errors='replace')[-2000:]}")
    return out


if __name__ == "__main__":
    sys.stdout.buffer.write(render(json.load(sys.stdin)))
