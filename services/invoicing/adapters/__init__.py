"""invoicing's adapters: the PDF (WeasyPrint, PDF/A-3b) and the Factur-X XML (EN 16931 CII,
embedded and checked by the `factur-x` library)."""
