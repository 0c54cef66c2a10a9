"""The one exception type services raise when a rule of the domain refuses an operation."""
from __future__ import annotations


class DomainError(Exception):
    """A rule refused the operation. The message (often lazily translated) is shown to the user,
    beside the form field `field` when there is one, or beside each of `fields`."""

    def __init__(self, message, field: str | None = None, fields: tuple[str, ...] = ()):
        super().__init__(message)
        self.message = message
        self.field = field or (fields[0] if fields else None)
        self.fields = fields or ((field,) if field else ())

    def __str__(self) -> str:
        return str(self.message)
