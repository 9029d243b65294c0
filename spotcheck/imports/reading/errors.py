from __future__ import annotations


class FileLevelError(Exception):
    """The file as a whole cannot be imported; ``message`` is a Chinese sentence for the user."""

    def __init__(self, message: str, *, code: str = "unreadable") -> None:
        super().__init__(message)
        self.message = message
        self.code = code  # no_header, missing_column, encoding, format, unreadable, empty
