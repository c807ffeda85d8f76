"""HTML → PDF with WeasyPrint: A4, fonts embedded (DejaVu Sans from Debian's fonts-dejavu-core), tagged.

The PDF is tagged (``pdf_tags``) and, where the installed WeasyPrint offers it, made as
PDF/UA-1 so screen readers get the structure; the document language comes from
``<html lang>`` and the title from ``<title>``.
"""

from __future__ import annotations

import logging

PDF_VARIANT = "pdf/ua-1"


def html_to_pdf(html: str) -> bytes:
    """Render a brief's HTML to PDF bytes (no network access: the map is embedded)."""
    import weasyprint

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    # Only data: URLs (the embedded map); a brief never fetches anything from a network or disk.
    fetcher = weasyprint.urls.URLFetcher(allowed_protocols=("data",))
    doc = weasyprint.HTML(string=html, base_url=None, url_fetcher=fetcher)
    options: dict[str, object] = {"pdf_tags": True}
    if PDF_VARIANT in getattr(weasyprint.pdf, "VARIANTS", {}):
        options["pdf_variant"] = PDF_VARIANT
    pdf: bytes = doc.write_pdf(**options)
    return pdf
