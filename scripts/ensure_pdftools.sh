#!/usr/bin/env bash
# pdftotext (poppler-utils): the tests read the text of the PDFs the suite produces.
set -euo pipefail
if ! command -v pdftotext >/dev/null; then
  echo "Installing Debian's poppler-utils (pdftotext) for the PDF tests..."
  (DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils ||
   (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils)) \
    >/dev/null
fi
command -v pdftotext >/dev/null || { echo "pdftotext is missing: apt-get install poppler-utils"; exit 1; }
