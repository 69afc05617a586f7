"""The member roster as an Excel file: the template, the checked import, the export.

Import is two steps: `check_rows` reads a workbook and reports every row's problems in
Chinese without writing anything; `save_rows` writes all rows in one transaction and only
when none has a problem. The same columns are used for the template and the export, so an
exported roster can be edited and imported into the next term.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import PatternFill

from lvzhi.core.errors import Refusal
from lvzhi.core.events import record_event
from lvzhi.core.inputs import clean_text
from lvzhi.core.models import (
    Body,
    Gender,
    Member,
    Party,
    Position,
    Sector,
    SpecialCommittee,
    Term,
    User,
)
from lvzhi.core.models.people import mobile_validator
from lvzhi.core.spreadsheets import StreamedSheet, append_row, header_row, workbook_bytes

if TYPE_CHECKING:
    from lvzhi.core.exports import Progress

COLUMNS = ["姓名", "手机号码", "性别", "民族", "职务", "界别", "政治面貌", "专门委员会",
           "工作单位", "职务职称"]
WIDTHS = [10, 14, 6, 8, 10, 16, 12, 30, 30, 16]
HEADER_FILL = "FCE4D6"
REQUIRED = ["姓名", "手机号码", "职务", "界别", "政治面貌"]
MAX_ROWS = 2000
COMMITTEE_SEPARATORS = ["，", ",", "；", ";"]


@dataclass
class RowCheck:
    number: int  # the row number as Excel shows it
    values: dict[str, str]
    problems: list[str] = field(default_factory=list)


def current_term(body: Body) -> Term:
    term = Term.objects.filter(body=body, is_current=True).first()
    if term is None:
        raise Refusal("no_current_term", _("%(body)s尚未设置本届，请先在系统管理中登记。")
                      % {"body": body.name})
    return term


def template_workbook(body: Body) -> bytes:
    wb = Workbook()
    sheet = wb.active
    sheet.title = _("委员名册")
    _write_header(sheet)
    append_row(sheet, ["张三", "13900000000", "男", "汉族", "委员",
                  Sector.objects.filter(body=body).values_list("name", flat=True).first() or "",
                  "中共党员", "", "某某单位", "主任"])
    help_sheet = wb.create_sheet(_("填写说明"))
    append_row(help_sheet, [_("项目"), _("可填写的值")])
    append_row(help_sheet, [_("必填"), "、".join(REQUIRED)])
    append_row(help_sheet, ["性别", "、".join(str(label) for label in Gender.labels)])
    append_row(help_sheet, ["职务", "、".join(str(label) for label in Position.labels)])
    append_row(help_sheet, ["政治面貌", "、".join(str(label) for label in Party.labels)])
    append_row(help_sheet, ["界别", "、".join(Sector.objects.filter(body=body)
                                         .values_list("name", flat=True))])
    append_row(help_sheet, ["专门委员会（多个用逗号分隔）", "、".join(
        SpecialCommittee.objects.filter(body=body).values_list("name", flat=True))])
    help_sheet.column_dimensions["B"].width = 120
    return _save(wb)


def export_workbook(members: Any, progress: Progress | None = None) -> bytes:
    """The roster in the import template's shape (edit it and import it back), streamed."""
    total = members.count()
    sheet = StreamedSheet(_("委员名册"), COLUMNS, WIDTHS, header_fill=HEADER_FILL)
    rows = members.select_related("user", "sector").prefetch_related("committees")
    for done, m in enumerate(rows.iterator(chunk_size=1000), start=1):
        sheet.append([m.user.full_name, m.user.mobile or "", m.user.get_gender_display(),
                      m.user.ethnicity, m.get_position_display(), m.sector.name,
                      m.get_party_display(), "，".join(c.name for c in m.committees.all()),
                      m.employer, m.job_title])
        if progress:
            progress(done, total)
    return sheet.bytes()


def _write_header(sheet: Any) -> None:
    header_row(sheet, COLUMNS)
    for cell in sheet[1]:
        cell.fill = PatternFill("solid", fgColor=HEADER_FILL)
    for letter, width in zip("ABCDEFGHIJ", WIDTHS, strict=True):
        sheet.column_dimensions[letter].width = width


def _save(wb: Workbook) -> bytes:
    return workbook_bytes(wb)


def read_rows(data: bytes) -> list[RowCheck]:
    """Read the first sheet; refuse a file that is not the roster template."""
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a file that is not xlsx
        raise Refusal("bad_file", _("无法读取该文件，请上传由模板填写的 Excel（.xlsx）文件。")) \
            from exc
    rows = list(wb.worksheets[0].iter_rows(values_only=True))
    header = [str(v).strip() if v is not None else "" for v in (rows[0] if rows else [])]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise Refusal("bad_header", _("表头缺少列：%(cols)s。请使用下载的模板。")
                      % {"cols": "、".join(missing)})
    checks = []
    for number, row in enumerate(rows[1:], start=2):
        values = {name: _text(row[i]) if i < len(row) else ""
                  for i, name in enumerate(header) if name in COLUMNS}
        if any(values.values()):
            checks.append(RowCheck(number, values))
    if not checks:
        raise Refusal("empty_file", _("文件中没有委员数据。"))
    if len(checks) > MAX_ROWS:
        raise Refusal("too_many_rows", _("一次最多导入 %(n)s 行。") % {"n": MAX_ROWS})
    return checks


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a mobile typed as a number comes back as 13900000000.0
    return clean_text(str(value)).strip()


def check_rows(body: Body, rows: list[RowCheck]) -> list[RowCheck]:
    """Fill in each row's problems; writes nothing."""
    term = current_term(body)
    lookups = _Lookups(body)
    seated = set(Member.objects.filter(term=term).values_list("user__mobile", flat=True))
    seen: dict[str, int] = {}
    for row in rows:
        v = row.values
        for name in REQUIRED:
            if not v.get(name):
                row.problems.append(_("缺少%(field)s") % {"field": name})
        mobile = v.get("手机号码", "")
        if mobile:
            try:
                mobile_validator(mobile)
            except ValidationError:
                row.problems.append(_("手机号码“%(m)s”格式不正确") % {"m": mobile})
            if mobile in seen:
                row.problems.append(_("手机号码与第 %(n)s 行重复") % {"n": seen[mobile]})
            seen.setdefault(mobile, row.number)
            if mobile in seated:
                row.problems.append(_("手机号码“%(m)s”已是本届委员") % {"m": mobile})
        row.problems.extend(lookups.problems(v))
    return rows


class _Lookups:
    """Chinese labels in the sheet -> the body's rows and the code's choices."""

    def __init__(self, body: Body) -> None:
        self.sectors = dict(Sector.objects.filter(body=body).values_list("name", "id"))
        self.committees = dict(SpecialCommittee.objects.filter(body=body)
                               .values_list("name", "id"))
        self.positions = {str(label): value for value, label in Position.choices}
        self.parties = {str(label): value for value, label in Party.choices}
        self.genders = {str(label): value for value, label in Gender.choices}

    def problems(self, v: dict[str, str]) -> list[str]:
        found = []
        checks = [("界别", self.sectors), ("职务", self.positions), ("政治面貌", self.parties),
                  ("性别", self.genders)]
        for column, known in checks:
            if v.get(column) and v[column] not in known:
                found.append(_("未知的%(col)s“%(val)s”") % {"col": column, "val": v[column]})
        for name in self.committee_names(v):
            if name not in self.committees:
                found.append(_("未知的专门委员会“%(val)s”") % {"val": name})
        return found

    @staticmethod
    def committee_names(v: dict[str, str]) -> list[str]:
        text = v.get("专门委员会", "")
        for sep in COMMITTEE_SEPARATORS:
            text = text.replace(sep, "、")
        return [name.strip() for name in text.split("、") if name.strip()]


def save_rows(body: Body, rows: list[RowCheck], actor: User) -> list[Member]:
    """Create every member in one transaction, or nothing if any row has a problem."""
    with transaction.atomic():
        checked = check_rows(body, rows)
        if any(row.problems for row in checked):
            raise Refusal("rows_invalid", _("名册中仍有问题，未导入任何数据。"))
        term = current_term(body)
        lookups = _Lookups(body)
        created = [_save_row(body, term, lookups, row.values) for row in checked]
        record_event(body, "roster_imported", actor, data={"count": len(created),
                                                           "term": term.pk})
    return created


def _save_row(body: Body, term: Term, lookups: _Lookups, v: dict[str, str]) -> Member:
    # A person already known by mobile (say, a city member joining a district body) keeps
    # one account; a new person gets an account named by the mobile and no password until
    # the admin issues one.
    user = User.objects.filter(mobile=v["手机号码"]).first()
    if user is None:
        user = User(username=v["手机号码"], mobile=v["手机号码"], full_name=v["姓名"],
                    gender=lookups.genders.get(v.get("性别", ""), ""),
                    ethnicity=v.get("民族", ""))
        user.set_unusable_password()
        user.save()
    member = Member.objects.create(
        body=body, term=term, user=user, position=lookups.positions[v["职务"]],
        sector_id=lookups.sectors[v["界别"]], party=lookups.parties[v["政治面貌"]],
        employer=v.get("工作单位", ""), job_title=v.get("职务职称", ""),
    )
    member.committees.set([lookups.committees[n] for n in lookups.committee_names(v)])
    return member
