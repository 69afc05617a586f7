"""Writing Excel files from what users typed, safely, and as people read them.

Every export appends its rows through `append_row`, which (1) drops the control characters
XML cannot carry — one stored in a title used to break the whole export — (2) stores a
text that a spreadsheet would read as a formula (=, +, -, @, tab, CR first) as plain text
with Excel's quote prefix, so `=HYPERLINK(...)` in a title is shown, never evaluated, and
(3) writes dates as real date cells shown the Chinese way (2022年5月9日). `header_row`
starts a sheet: bold, frozen, and `fit_columns` gives each column a width for its content.
"""

from __future__ import annotations

import datetime
import unicodedata
from collections.abc import Iterable
from io import BytesIO
from typing import Any

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from lvzhi.core.inputs import clean_text

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


# Excel's number formats: a date cell shown the way Chinese users write it.
DATE_FORMAT = 'yyyy"年"m"月"d"日"'  # not translated: a format code, not text
DATETIME_FORMAT = 'yyyy"年"m"月"d"日" hh:mm'  # not translated: a format code, not text


def _value(v: Any) -> Any:
    if isinstance(v, str):
        return clean_text(v)
    if isinstance(v, datetime.datetime):
        # Excel keeps no time zone: write the time as people here read it.
        return timezone.localtime(v).replace(tzinfo=None) if timezone.is_aware(v) else v
    return v


def append_row(sheet: Worksheet, values: Iterable[Any]) -> None:
    sheet.append([_value(v) for v in values])
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str) and cell.value.startswith(FORMULA_START):
            cell.data_type = "s"  # openpyxl took it for a formula
            cell.quotePrefix = True
        elif isinstance(cell.value, datetime.datetime):
            cell.number_format = DATETIME_FORMAT
        elif isinstance(cell.value, datetime.date):
            cell.number_format = DATE_FORMAT


def header_row(sheet: Worksheet, columns: list[str]) -> None:
    """The first row: the column names in bold, frozen so they stay on screen."""
    append_row(sheet, [str(c) for c in columns])  # names may be lazy translations
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = f"A{sheet.max_row + 1}"  # a name: sheet.cell() would add a row


def fit_columns(sheet: Worksheet, *, widest: int = 50) -> None:
    """Each column as wide as its longest entry (a Chinese character counts twice), within
    reason; long text wraps instead."""
    for column in sheet.iter_cols():
        longest = max((_width(c.value) for c in column), default=8)
        letter = column[0].column_letter
        sheet.column_dimensions[letter].width = min(max(longest + 2, 8), widest)
        if longest > widest:
            for cell in column[1:]:
                cell.alignment = Alignment(wrap_text=True, vertical="top")


def _width(value: Any) -> int:
    if value is None:
        return 0
    if isinstance(value, datetime.datetime):
        return 18
    if isinstance(value, datetime.date):
        return 12
    text = str(value)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def workbook_bytes(wb: Workbook) -> bytes:
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


class StreamedSheet:
    """One sheet written as rows come (openpyxl's write-only mode): memory and time stay
    flat however many rows an export has. Same safety as append_row; column widths are
    given up front (`widths`, in characters; by default the header's), since a streamed
    sheet cannot be measured afterwards."""

    def __init__(self, title: str, columns: list[str], widths: list[int] | None = None,
                 *, header_fill: str = ""):
        self.book = Workbook(write_only=True)
        self.sheet = self.book.create_sheet(title)
        for i, width in enumerate(widths or [max(_width(str(c)) + 2, 10) for c in columns]):
            self.sheet.column_dimensions[get_column_letter(i + 1)].width = width
        self.sheet.freeze_panes = "A2"
        header = [self._cell(str(c)) for c in columns]  # names may be lazy translations
        for cell in header:
            cell.font = Font(bold=True)
            if header_fill:
                cell.fill = PatternFill("solid", fgColor=header_fill)
        self.sheet.append(header)

    def _cell(self, value: Any) -> WriteOnlyCell:
        cell = WriteOnlyCell(self.sheet, value=_value(value))
        if isinstance(cell.value, str) and cell.value.startswith(FORMULA_START):
            cell.data_type = "s"  # openpyxl took it for a formula
            cell.quotePrefix = True
        elif isinstance(cell.value, datetime.datetime):
            cell.number_format = DATETIME_FORMAT
        elif isinstance(cell.value, datetime.date):
            cell.number_format = DATE_FORMAT
        return cell

    def append(self, values: Iterable[Any]) -> None:
        # A styled cell only where one is needed (a date, a text that looks like a
        # formula): plain values are written as they are, several times faster.
        row = []
        for v in values:
            v = _value(v)
            plain = v is None or isinstance(v, int | float) or (
                isinstance(v, str) and not v.startswith(FORMULA_START))
            row.append(v if plain else self._cell(v))
        self.sheet.append(row)

    def bytes(self) -> bytes:
        return workbook_bytes(self.book)
