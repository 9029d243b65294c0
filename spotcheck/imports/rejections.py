"""A rejected row: where it is in the user's file and why, in Chinese."""

from dataclasses import dataclass


class RowError(Exception):
    """Raised by a validator: `field` is the canonical field whose cell is wrong."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(reason)
        self.field = field
        self.reason = reason


class RowNotApplied(RowError):
    """A valid row the importing department may not apply (another department's record): it is
    counted as not applied, apart from the rejected rows."""


@dataclass(frozen=True, slots=True)
class RowWarning:
    """A secondary cell that could not be read: the row is kept, that value is dropped."""

    field: str
    reason: str


@dataclass(frozen=True, slots=True)
class Rejection:
    """A flagged cell as the user sees it: a rejected row, or (in ``warnings``) a kept one."""

    row: int  # the row number the user sees in the spreadsheet
    column: str  # column letter, e.g. "B" ("" when the row as a whole is wrong)
    header: str  # the column's header text in the user's file
    value: str
    reason: str

    def as_list(self) -> list:
        return [self.row, self.column, self.header, self.value, self.reason]
