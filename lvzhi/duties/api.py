"""The duty record on a phone: my record and standing, my declarations (with evidence),
withdrawing one, asking for a correction; the office's table for staff and leaders."""

import datetime
from typing import Annotated

from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate
from pydantic import Field, StrictBool

from lvzhi.api.files import FileOut, file_out
from lvzhi.api.paging import Mapped, Pages
from lvzhi.api.types import Id, choice, text
from lvzhi.core.attachments import attachments_of
from lvzhi.core.errors import Refusal
from lvzhi.duties import access, experts, kinds, record, services, workflow
from lvzhi.duties.models import Declaration, Grade, MemberEvaluation

router = Router(tags=["duties"])
Year = Annotated[int, Field(ge=2000, le=2100, description="考核年度（默认本年度）")]
DeclarationState = choice(Declaration.State, "DeclarationState")
GradeCode = choice(Grade)


class CategoryOut(Schema):
    code: str
    label: str
    points: float
    cut: float = Field(description="超出类别上限未计入的分数")
    cap: float | None


class FactOut(Schema):
    date: datetime.date
    kind: str
    kind_label: str
    title: str
    points: float
    withdrawn: bool
    source_url: str = Field(description="来源页面的地址（网页）")


class ObligationOut(Schema):
    label: str
    done: bool


class RecordOut(Schema):
    seat_id: int
    body: str
    year: int
    state: str
    state_label: str
    total: float | None
    grade: GradeCode | None  # type: ignore[valid-type]
    grade_label: str
    rank_body: int | None
    rank_sector: int | None
    at_risk: list[str]
    obligations: list[ObligationOut]
    categories: list[CategoryOut]
    facts: list[FactOut]
    may_correct: bool = Field(description="现在是否可以申请更正")


def _record_out(r: record.Record) -> dict:
    e = r.result
    return {
        "seat_id": r.seat.pk, "body": r.seat.body.short_name, "year": r.year,
        "state": r.state.state, "state_label": r.state.get_state_display(),
        "total": float(e.total) if e else None, "grade": e.grade if e else None,
        "grade_label": e.get_grade_display() if e else "",
        "rank_body": e.rank_body if e else None, "rank_sector": e.rank_sector if e else None,
        "at_risk": e.at_risk if e else [],
        "obligations": [{"label": label, "done": done} for label, done in r.obligations],
        "categories": [{"code": b.code, "label": b.label, "points": b.points, "cut": b.cut,
                        "cap": b.cap} for b in r.categories],
        "facts": [{"date": line.fact.occurred_on, "kind": line.fact.kind,
                   "kind_label": line.label, "title": line.title, "points": line.points,
                   "withdrawn": line.withdrawn, "source_url": line.url}
                  for b in r.categories for line in b.lines],
        "may_correct": r.can_correct,
    }


def _seat(request: HttpRequest, seat_id: int | None):
    seats = access.own_seats(request.user)
    seat = (seats.filter(pk=seat_id) if seat_id else seats).first()
    if seat is None:
        raise Http404
    return seat


@router.get("/me", response=RecordOut, operation_id="getMyDutyRecord",
            summary="我的履职：本年度（或指定年度）的得分、等次、基本要求和每条履职记录")
def my_record(request: HttpRequest, year: Year | None = None,
              seat_id: Id | None = None) -> dict:
    seat = _seat(request, seat_id)
    return _record_out(record.build(seat, year or record.current_year(seat)))


class DeclarationOut(Schema):
    id: int
    kind: str
    kind_label: str
    level: str
    title: str
    description: str
    occurred_on: datetime.date
    state: DeclarationState  # type: ignore[valid-type]
    state_label: str
    reason: str
    files: list[FileOut]


def _declaration_out(d: Declaration) -> dict:
    return {"id": d.pk, "kind": d.kind, "kind_label": str(kinds.DECLARED.get(d.kind, d.kind)),
            "level": d.level, "title": d.title, "description": d.description,
            "occurred_on": d.occurred_on, "state": d.state,
            "state_label": d.get_state_display(), "reason": d.reason,
            "files": [file_out(f) for f in attachments_of(d)]}


@router.get("/declarations", response=list[DeclarationOut], summary="我的履职申报",
            operation_id="listMyDeclarations")
@paginate(Pages, page_size=20)
def my_declarations(request: HttpRequest):
    rows = Declaration.objects.filter(member__user=request.user)
    return Mapped(rows, _declaration_out)


class DeclarationForm(Schema):
    seat_id: Id | None = Field(None, description="委员身份（多个政协任职时）")
    kind: str = Field(max_length=12, description="类别：" + "、".join(
        f"{k}（{v}）" for k, v in kinds.DECLARED.items()))
    level: str = Field("", max_length=12, description="表彰奖励的级别：" + "、".join(
        f"{k}（{v}）" for k, v in kinds.AWARD_LEVELS.items()))
    occurred_on: datetime.date
    title: text(100, "事项")  # type: ignore[valid-type]
    description: text(2000, "具体情况") = ""  # type: ignore[valid-type]


@router.post("/declarations", response={201: DeclarationOut},
             summary="申报履职（附证明材料，机关确认后计入履职档案）",
             operation_id="createDeclaration")
def create_declaration(request: HttpRequest, payload: Form[DeclarationForm],
                       files: File[list[UploadedFile]] = None) -> Status:
    seat = _seat(request, payload.seat_id)
    row = workflow.declare(request.user, seat, payload.dict(), files or [])
    return Status(201, _declaration_out(row))


@router.post("/declarations/{declaration_id}/withdraw", response=DeclarationOut,
             summary="撤回待确认的履职申报", operation_id="withdrawDeclaration")
def withdraw_declaration(request: HttpRequest, declaration_id: Id) -> dict:
    return _declaration_out(workflow.DECLARATION.perform(declaration_id, "withdraw",
                                                         request.user))


class FieldChoiceOut(Schema):
    id: int
    name: str
    chosen: bool


class ExpertiseOut(Schema):
    in_pool: bool = Field(description="是否已在参政议政人才库中")
    fields: list[FieldChoiceOut] = Field(description="本政协的专业领域，chosen 为本人所选")
    profile: str
    available: bool


class ExpertiseIn(Schema):
    field_ids: list[Id] = Field(min_length=1, max_length=50, description="所选专业领域的 id")
    profile: text(500, "简介") = ""  # type: ignore[valid-type]
    available: StrictBool = True
    seat_id: Id | None = None


def _expertise_out(seat) -> dict:
    entry = experts.own_entry(seat)
    chosen = {f.pk for f in entry.fields.all()} if entry else set()
    return {"in_pool": entry is not None, "profile": entry.profile if entry else "",
            "available": entry.available if entry else True,
            "fields": [{"id": f.pk, "name": f.name, "chosen": f.pk in chosen}
                       for f in experts.fields_of(seat.body_id)]}


@router.get("/expertise", response=ExpertiseOut, operation_id="getMyExpertise",
            summary="我的专长（参政议政人才库中的本人信息）")
def my_expertise(request: HttpRequest, seat_id: Id | None = None) -> dict:
    return _expertise_out(_seat(request, seat_id))


@router.put("/expertise", response=ExpertiseOut, operation_id="updateMyExpertise",
            summary="填写或修改我的专长；首次保存即进入人才库")
def update_my_expertise(request: HttpRequest, payload: ExpertiseIn) -> dict:
    seat = _seat(request, payload.seat_id)
    chosen = list(experts.fields_of(seat.body_id).filter(pk__in=payload.field_ids))
    if len(chosen) != len(set(payload.field_ids)):
        raise Refusal("bad_fields", _("专业领域不属于本政协。"))
    experts.save_own(request.user, seat, {"fields": chosen, "profile": payload.profile,
                                          "available": payload.available})
    return _expertise_out(seat)


class CorrectionIn(Schema):
    year: Year
    text: text(2000, "需要更正的内容和理由")  # type: ignore[valid-type]
    seat_id: Id | None = None


@router.post("/corrections", response={201: None}, summary="在更正申请期内申请更正考核结果",
             operation_id="requestCorrection")
def request_correction(request: HttpRequest, payload: CorrectionIn) -> Status:
    seat = _seat(request, payload.seat_id)
    workflow.request_correction(request.user, seat, payload.year, payload.text)
    return Status(201, None)


class RowOut(Schema):
    member_id: int
    name: str
    sector: str
    total: float
    grade: GradeCode  # type: ignore[valid-type]
    grade_label: str
    rank_body: int
    missing: list[str]
    at_risk: list[str]


@router.get("/office", response=list[RowOut], summary="本政协委员的年度考核表（机关干部和领导）",
            operation_id="listBodyEvaluations")
@paginate(Pages, page_size=50)
def body_table(request: HttpRequest, body_id: Id, year: Year | None = None,
               at_risk: bool = False):
    if body_id not in access.reading_bodies(request.user):
        raise Refusal("not_found", _("找不到该政协，或您无权查看。"), status=404)
    year = year or services.year_of(body_id, timezone.localdate())
    if not services.year_state(body_id, year).frozen and not MemberEvaluation.objects.filter(
            body_id=body_id, year=year).exists():
        services.recompute(body_id, year)  # a first look before any fact changed
    rows = MemberEvaluation.objects.filter(body_id=body_id, year=year).select_related(
        "member__user", "member__sector").order_by("rank_body", "id")
    if at_risk:
        rows = rows.exclude(at_risk=[])
    return Mapped(rows, lambda e: {
        "member_id": e.member_id, "name": e.member.user.full_name,
        "sector": e.member.sector.name, "total": float(e.total), "grade": e.grade,
        "grade_label": e.get_grade_display(), "rank_body": e.rank_body,
        "missing": e.missing, "at_risk": e.at_risk})
