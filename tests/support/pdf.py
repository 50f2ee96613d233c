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


def pdf_page_texts(data: bytes) -> list[str]:
    """Each page's text, in order (pdftotext one page at a time)."""
    return [subprocess.run(["pdftotext", "-f", str(p), "-l", str(p), "-", "-"], input=data,
                           capture_output=True, check=True).stdout.decode()
            for p in range(1, pdf_pages(data) + 1)]
