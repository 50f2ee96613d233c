"""A local Saxon server for the `factur-x` library's own schematron check (EN 16931 and Factur-X
business rules, XSLT 2 stylesheets the library ships): the library POSTs the XML and the
stylesheet to `<url>/transform` and reads the SVRL report back; here SaxonC-HE (`saxonche`, a
test requirement) runs it, in a thread on 127.0.0.1, for the tests only."""
import threading
from contextlib import contextmanager
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def _parts(headers, body: bytes) -> dict:
    message = BytesParser(policy=HTTP).parsebytes(
        b"Content-Type: " + headers["Content-Type"].encode() + b"\r\n\r\n" + body)
    return {part.get_param("name", header="content-disposition"): part.get_content()
            for part in message.iter_parts()}


_PROCESSOR = {}


def _transform(xml: str, xsl: str) -> str:
    """The stylesheet compiled once per text (the EN 16931 one takes seconds), then run."""
    from saxonche import PySaxonProcessor
    if "processor" not in _PROCESSOR:
        _PROCESSOR["processor"] = PySaxonProcessor(license=False)
    processor = _PROCESSOR["processor"]
    compiled = _PROCESSOR.get(xsl)
    if compiled is None:
        compiled = _PROCESSOR[xsl] = processor.new_xslt30_processor().compile_stylesheet(
            stylesheet_text=xsl)
    return compiled.transform_to_string(xdm_node=processor.parse_xml(xml_text=xml))


class _Handler(BaseHTTPRequestHandler):
    lock = threading.Lock()  # one SaxonC processor at a time

    def do_POST(self):  # noqa: N802  (http.server's name)
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        parts = _parts(self.headers, body)
        text = lambda v: v if isinstance(v, str) else v.decode("utf-8")  # noqa: E731
        with self.lock:
            report = _transform(text(parts["xml"]), text(parts["xsl"]))
        data = report.encode("utf-8")
        self.send_response(200)
        self.send_header("Content-Type", "application/xml; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@contextmanager
def saxon_server():
    """The server's `/transform` URL while the block runs."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/transform"
    finally:
        server.shutdown()
        server.server_close()
