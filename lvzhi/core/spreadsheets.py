"""Writing Excel files from what users typed, safely.

Every export appends its rows through `append_row`, which (1) drops the control characters
XML cannot carry — one stored in a title used to break the whole export — and (2) stores a
text that a spreadsheet would read as a formula (=, +, -, @, tab, CR first) as plain text
with Excel's quote prefix, so `=HYPERLINK(...)` in a title is shown, never evaluated.
"""

from __future__ import annotations

from collections.abc import Iterable
from io import BytesIO
from typing import Any

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from lvzhi.core.inputs import clean_text

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def append_row(sheet: Worksheet, values: Iterable[Any]) -> None:
    sheet.append([clean_text(v) if isinstance(v, str) else v for v in values])
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str) and cell.value.startswith(FORMULA_START):
            cell.data_type = "s"  # openpyxl took it for a formula
            cell.quotePrefix = True


def workbook_bytes(wb: Workbook) -> bytes:
    out = BytesIO()
    wb.save(out)
    return out.getvalue()
