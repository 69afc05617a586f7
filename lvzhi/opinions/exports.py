"""Excel and PDF output of the opinion office: the queue and the bulletin."""

from __future__ import annotations

from django.template.loader import render_to_string
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

    return _book([
        ("报送人", ["名次", "报送人", "界别", "报送", "录用", "积分"], rows(people, True)),
        ("界别", ["名次", "界别", "报送", "录用", "积分"], rows(sectors, False)),
        ("单位", ["名次", "单位", "报送", "录用", "积分"], rows(units, False)),
    ])


def pdf(template: str, context: dict) -> bytes:
    return HTML(string=render_to_string(template, context)).write_pdf()


