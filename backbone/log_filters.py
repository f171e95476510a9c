"""Filters for the log: what is worth a traceback and what is one line."""

import logging


class RefusalsWithoutTraceback(logging.Filter):
    """A 403 is an answer, not an error: log it as its one line ("Forbidden (Permission
    denied): /o/…"), without the traceback Django attaches, so real errors stand out."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) == 403:
            record.exc_info = None
            record.exc_text = None
        return True
