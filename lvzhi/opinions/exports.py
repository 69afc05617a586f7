"""Excel and PDF output of the opinion office: the queue and the bulletin."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from openpyxl import Workbook
from weasyprint import HTML

from lvzhi.core.spreadsheets import append_row, fit_columns, header_row, workbook_bytes
from lvzhi.opinions.points import Line


def _book(sheets: list[tuple[str, list[str], list[list]]]) -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    for title, header, rows in sheets:
        sheet = wb.create_sheet(title)
        header_row(sheet, header)
        for row in rows:
            append_row(sheet, row)
        fit_columns(sheet)
    return workbook_bytes(wb)


def bulletin_workbook(title: str, people: list[Line], sectors: list[Line],
                      units: list[Line]) -> bytes:
    def rows(lines: list[Line], with_sector: bool) -> list[list]:
        return [[i, line.name, *([line.sector] if with_sector else []), line.submitted,
                 line.adopted, line.points] for i, line in enumerate(lines, start=1)]

    rank, counts = _("名次"), [_("报送"), _("录用"), _("积分")]
    return _book([
        (_("报送人"), [rank, _("报送人"), _("界别"), *counts], rows(people, True)),
        (_("界别"), [rank, _("界别"), *counts], rows(sectors, False)),
        (_("单位"), [rank, _("单位"), *counts], rows(units, False)),
    ])


def pdf(template: str, context: dict) -> bytes:
    return HTML(string=render_to_string(template, context)).write_pdf()


