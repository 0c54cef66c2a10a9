"""The application's loggers, whose every line is escaped so that request data cannot forge one.

A path, a search term or an exception message may carry a line break, an ANSI escape or a bidi
override; written raw, "%0AERROR ..." in a URL would add a fake line to the log. Every module
takes its logger from `get_logger` (a test holds this), which attaches a filter that escapes
control characters in the finished message and in the exception's own text, whatever handlers
and formatter the deployment configures (under gunicorn they are not ours). A filter on the
logger rather than on a handler: records logged to a logger pass its filters before any handler
sees them, and the app owns its loggers but not the handlers.
"""
from __future__ import annotations

import logging
import re
import traceback

# C0 controls (line breaks and tab included), DEL, C1 controls, the Unicode line and paragraph
# separators, and the bidi controls: anything that could start a line or disguise its text.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def escape_controls(text: str) -> str:
    """`text` with each control character written as its Python escape ("\\n", "\\x00", "\\u202e")."""
    return _CONTROL.sub(lambda match: match.group().encode("unicode_escape").decode("ascii"), text)


def _traceback_lines(error: traceback.TracebackException):
    # The frames come from our source files; only the exception's message (and notes) can carry
    # request data, so those lines are escaped and the traceback keeps its usual shape.
    if error.__cause__ is not None:
        yield from _traceback_lines(error.__cause__)
        yield "\nThe above exception was the direct cause of the following exception:\n\n"
    elif error.__context__ is not None and not error.__suppress_context__:
        yield from _traceback_lines(error.__context__)
        yield "\nDuring handling of the above exception, another exception occurred:\n\n"
    if error.stack:
        yield "Traceback (most recent call last):\n"
        yield from error.stack.format()
    for line in error.format_exception_only():
        yield escape_controls(line.rstrip("\n")) + "\n"


class EscapeControlCharacters(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        escaped = escape_controls(message)
        if escaped != message:
            # Only then: a record left alone keeps its template and args (error trackers group
            # by the template; tests read the args).
            record.msg, record.args = escaped, None
        if record.exc_info and record.exc_info[1] is not None and not record.exc_text:
            # Formatters use exc_text when it is set instead of formatting the exception again.
            error = traceback.TracebackException(*record.exc_info)
            record.exc_text = "".join(_traceback_lines(error)).rstrip("\n")
        return True


_FILTER = EscapeControlCharacters()


def get_logger(name: str) -> logging.Logger:
    """logging.getLogger(name) with the escaping filter (a logger's filters do not apply to the
    records of its children, so each logger needs its own)."""
    logger = logging.getLogger(name)
    if _FILTER not in logger.filters:
        logger.addFilter(_FILTER)
    return logger
