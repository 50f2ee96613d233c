"""An invoice's or a credit note's PDF from its view (presenters.document_view), drawn by
WeasyPrint as PDF/A-3b; for a public buyer, the Factur-X PDF: the EN 16931 CII XML
(adapters.cii) embedded by the `factur-x` library, which checks it against its XSD first.

Run in a child process (`python -m services.invoicing.render`, view as JSON on stdin, PDF on
stdout) through services.common.offload.run_in_child: the service's loop keeps serving."""
import json
import sys
from pathlib import Path

TEMPLATES = Path(__file__).parent / "templates"
CHILD_MODULE = "services.invoicing.render"


def _environment():
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    from services.common.money import eur
    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=select_autoescape())
    env.filters["money"] = eur
    env.filters["day"] = lambda iso: f"{iso[8:10]}/{iso[5:7]}/{iso[:4]}" if iso else ""
    env.filters["rate"] = lambda r: (str(r).replace(".", ",") + " %") if r not in ("", None) \
        else ""
    return env


def html(view: dict) -> str:
    return _environment().get_template("invoice.html").render(v=view)


def facturx_xml(view: dict) -> bytes:
    from .adapters import cii
    return cii.build(view)


def render(view: dict) -> bytes:
    from weasyprint import HTML
    pdf = HTML(string=html(view)).write_pdf(pdf_variant="pdf/a-3b")
    if not view.get("facturx"):
        return pdf
    from facturx import generate_from_binary
    return generate_from_binary(
        pdf, facturx_xml(view), flavor="factur-x", level="en16931", check_xsd=True,
        pdf_metadata={"author": view["seller"]["name"], "keywords": "Factur-X",
                      "title": f"{view['kind_label']} n° {view['number']}",
                      "subject": f"{view['kind_label']} n° {view['number']} — "
                                 f"{view['customer']['name']}"},
        lang="fr-FR")


def render_in_child(view: dict, timeout=120) -> bytes:
    from services.common.offload import run_in_child
    return run_in_child(CHILD_MODULE, json.dumps(view).encode(), timeout)


if __name__ == "__main__":
    sys.stdout.buffer.write(render(json.load(sys.stdin)))
