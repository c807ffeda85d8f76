"""Structured logging for the server: one JSON object per line on stderr.

Unexpected errors are logged with a short id that the visitor sees instead of a traceback
(``client.showErrorDetails`` is off); the audit events of the import store are logged too.
"""

from __future__ import annotations

import json
import logging
import sys
import traceback
import uuid
from datetime import UTC, datetime

_FIELDS = ("error_id", "action", "who", "import_id", "file", "sha256", "rows", "page")


class JsonLines(logging.Formatter):
    """``{"ts", "level", "logger", "msg", ...extra fields, "exc"}`` per record."""

    def format(self, record: logging.LogRecord) -> str:  # noqa: D102 - logging API
        out = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "msg": record.getMessage(),
        }
        out.update({k: getattr(record, k) for k in _FIELDS if hasattr(record, k)})
        if record.exc_info:
            out["exc"] = "".join(traceback.format_exception(*record.exc_info))
        return json.dumps(out, ensure_ascii=False, default=str)


def configure() -> None:
    """Send the ``geo_app`` loggers to stderr as JSON lines (once per process)."""
    logger = logging.getLogger("geo_app")
    if any(isinstance(h.formatter, JsonLines) for h in logger.handlers):
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonLines())
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False


def log_error(exc: BaseException, page: str = "") -> str:
    """Log an unexpected error with its traceback; returns the id to show the visitor."""
    error_id = uuid.uuid4().hex[:10]
    logging.getLogger("geo_app.app").error(
        "unexpected error: %s", type(exc).__name__, exc_info=exc, extra={"error_id": error_id, "page": page}
    )
    return error_id
