"""The text of a PDF as a reader sees it (poppler's pdftotext; scripts/ensure_pdftools.sh
installs it, and a missing pdftotext fails the test)."""
import shutil
import subprocess


def pdf_text(data: bytes, layout=False) -> str:
    exe = shutil.which("pdftotext")
    if exe is None:
        raise RuntimeError("pdftotext is missing: apt-get install poppler-utils "
                           "(scripts/ensure_pdftools.sh)")
    args = [exe, *(["-layout"] if layout else []), "-", "-"]
    return subprocess.run(args, input=data, capture_output=True, check=True).stdout.decode()


def pdf_pages(data: bytes) -> int:
    out = subprocess.run(["pdfinfo", "-"], input=data, capture_output=True, check=True).stdout
    return int(next(line.split()[-1] for line in out.decode().splitlines()
                    if line.startswith("Pages:")))
