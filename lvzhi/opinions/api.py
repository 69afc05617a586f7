"""Opinion reports in the HTTP API, for reporters' phones."""

import datetime

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.pagination import paginate
from pydantic import Field, StrictBool

from lvzhi.api.paging import Pages
from lvzhi.api.types import Id, choice, require_body, text
from lvzhi.core.access import bodies_with
from lvzhi.core.errors import Refusal
from lvzhi.core.models import Body
from lvzhi.opinions.access import get_report_for, rules_for
from lvzhi.opinions.models import Forward, Instruction, Report
from lvzhi.opinions.workflow import perform, save_draft

router = Router(tags=["opinions"])
BODY_TEXT = "正文（情况、分析、建议合计）最多 1500 字，本政协的规则可能不同，见 getReportRules"


class ReportOutcomeOut(Schema):
    level: str = Field(description="层级代码：district、city、province、national")
    level_label: str
    outcome: str = Field(description="本级的状态代码（见 ReportState），或上报后的 forwarded、"
                         "adopted、not_adopted，或 instruction（领导批示）")
    outcome_label: str
    text: str = Field(description="批示的领导和内容；其他为空")


class ReportOut(Schema):
    id: int
    title: str
    category: choice(Report.Category)
    category_label: str
    state: choice(Report.State)
    state_label: str
    body: str
    submitted_at: datetime.datetime | None
    issue: str | None

    @staticmethod
    def resolve_state_label(obj: Report) -> str:
        return obj.get_state_display()

    @staticmethod
    def resolve_category_label(obj: Report) -> str:
        return obj.get_category_display()

    @staticmethod
    def resolve_body(obj: Report) -> str:
        return obj.body.short_name

    @staticmethod
    def resolve_issue(obj: Report) -> str | None:
        return str(obj.issue) if obj.issue_id else None


class ReportDetailOut(ReportOut):
    situation: str
    analysis: str
    suggestions: str
    decision_note: str
    outcomes: list[ReportOutcomeOut]

    @staticmethod
    def resolve_outcomes(obj: Report) -> list[dict]:
        chain = obj.lineage()  # every level's row of the one report written
        forwarded = {True: ("adopted", _("已采用")), False: ("not_adopted", _("未采用")),
                     None: ("forwarded", _("已上报"))}
        rows = [_outcome(c.body.level, c.body.get_level_display(), c.state,
                         c.get_state_display()) for c in chain]
        rows += [_outcome(f.level, f.get_level_display(), *forwarded[f.adopted])
                 for f in Forward.objects.filter(report__in=chain).exclude(level="city")]
        rows += [_outcome(i.level, i.get_level_display(), "instruction", _("领导批示"),
                          f"{i.leader}：{i.text}")
                 for i in Instruction.objects.filter(report__in=chain)]
        return rows


def _outcome(level: str, level_label, outcome: str, outcome_label, text: str = "") -> dict:
    return {"level": level, "level_label": str(level_label), "outcome": outcome,
            "outcome_label": str(outcome_label), "text": text}


class ReportIn(Schema):
    body_id: Id | None = None
    title: text(100)
    category: choice(Report.Category)
    situation: text(1500, BODY_TEXT)
    analysis: text(1500, BODY_TEXT) = ""
    suggestions: text(1500, BODY_TEXT)
    co_reporters: list[Id] = []
    submit: StrictBool = True


@router.get("/mine", response=list[ReportOut], summary="我报送的信息",
            operation_id="listMyReports")
@paginate(Pages, page_size=20)
def mine(request: HttpRequest):
    return Report.objects.filter(reporter=request.user, forwarded_from__isnull=True)\
        .select_related("body", "issue").order_by("-created_at", "-id")


@router.get("/{report_id}", response=ReportDetailOut, summary="信息详情及各级采用情况",
            operation_id="getReport")
def detail(request: HttpRequest, report_id: Id):
    return get_report_for(request.user, report_id)


@router.post("/", response={201: ReportDetailOut}, summary="报送（或暂存）社情民意信息",
             operation_id="createReport")
def create(request: HttpRequest, payload: ReportIn):
    allowed = bodies_with(request.user, "opinions.submit")
    body = Body.objects.filter(pk=payload.body_id or 0, pk__in=allowed).first() or \
        Body.objects.filter(pk__in=allowed).first()
    if body is None:
        raise Refusal("forbidden", _("只有委员和信息员可以报送社情民意信息。"), status=403)
    fields = payload.dict(exclude={"body_id", "submit"})
    report = save_draft(request.user, body, fields)
    if payload.submit:
        report = perform(report, "submit", request.user)
    return Status(201, report)


class ReportPatch(Schema):
    """Only the fields sent are changed (a draft, or a report returned for revision); null
    is refused: to empty a text, send ""."""

    title: text(100) = None
    category: choice(Report.Category) = None
    situation: text(1500, BODY_TEXT) = None
    analysis: text(1500, BODY_TEXT) = None
    suggestions: text(1500, BODY_TEXT) = None
    co_reporters: list[Id] = None


@router.patch("/{report_id}", response=ReportDetailOut, summary="修改草稿或退回修改的信息",
              operation_id="updateReport")
def edit(request: HttpRequest, report_id: Id, payload: ReportPatch):
    require_body(request)
    report = get_report_for(request.user, report_id)
    fields = payload.dict(exclude_unset=True)
    return save_draft(request.user, report.body, fields, report=report)


@router.post("/{report_id}/submit", response=ReportDetailOut,
             summary="提交草稿，或修改后重新提交退回的信息", operation_id="submitReport")
def submit(request: HttpRequest, report_id: Id):
    return perform(report_id, "submit", request.user)


class ReportRulesOut(Schema):
    text_max: int


@router.get("/rules/{body_id}", response=ReportRulesOut, summary="本政协的信息规则：正文字数上限",
            operation_id="getReportRules")
def rules(request: HttpRequest, body_id: Id):
    if body_id not in bodies_with(request.user, "opinions.submit") \
            and not request.user.is_superuser:
        raise Http404
    return rules_for(body_id)
