"""Proposals in the HTTP API: the member's and the handling unit's actions.

Every write goes through the same workflow entry point as the pages, so the rules and the
Chinese refusal messages are the same; a refusal becomes {"code", "message"} with its status.
"""

import datetime

from django.db.models import Prefetch, Q
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import File, Router, Schema, Status, UploadedFile
from ninja.pagination import paginate
from pydantic import Field, StrictBool

from lvzhi.api.files import FileOut, file_out
from lvzhi.api.paging import Pages
from lvzhi.api.types import Id, choice, require_body, require_role_in, text
from lvzhi.core import plain
from lvzhi.core.access import actor_for
from lvzhi.core.attachments import attachments_by_parent, attachments_of
from lvzhi.core.errors import Refusal
from lvzhi.core.events import history_list
from lvzhi.core.models import HandlingUnit, Member, User
from lvzhi.proposals import similar
from lvzhi.proposals.access import (
    get_proposal_for,
    invitations_for,
    is_proposer_side,
    my_assignments,
)
from lvzhi.proposals.models import (
    Assignment,
    Contact,
    Cosigner,
    Evaluation,
    Proposal,
    Reply,
    UnitRequest,
)
from lvzhi.proposals.services import rules_for
from lvzhi.proposals.workflow import (
    add_attachment,
    add_reply_file,
    allowed_actions,
    event_label,
    perform,
    reveal_proposer_contact,
    save_draft,
)

router = Router(tags=["proposals"])
P = Proposal


class AssignmentOut(Schema):
    id: int
    unit_id: int
    unit: str
    role: choice(Assignment.Role)
    role_label: str
    state: choice(Assignment.State)
    state_label: str
    deadline: datetime.date
    replied_on: datetime.date | None

    @staticmethod
    def resolve_unit(obj: Assignment) -> str:
        return obj.unit.name

    @staticmethod
    def resolve_role_label(obj: Assignment) -> str:
        return obj.get_role_display()

    @staticmethod
    def resolve_state_label(obj: Assignment) -> str:
        return obj.get_state_display()


class ProposalOut(Schema):
    id: int
    number: int | None
    title: str
    state: choice(P.State)
    state_label: str
    kind: choice(P.Kind)
    timing: choice(P.Timing)
    category: choice(P.Category) | None
    session: str
    proposer: str
    submitted_at: datetime.datetime | None
    evaluation_deadline: datetime.date | None
    assignments: list[AssignmentOut]

    @staticmethod
    def resolve_state_label(obj: Proposal) -> str:
        return obj.get_state_display()

    @staticmethod
    def resolve_category(obj: Proposal) -> str | None:
        return obj.category or None  # a draft may not have one yet

    @staticmethod
    def resolve_session(obj: Proposal) -> str:
        return str(obj.session)

    @staticmethod
    def resolve_proposer(obj: Proposal) -> str:
        return obj.proposer.user.full_name

    @staticmethod
    def resolve_assignments(obj: Proposal) -> list[Assignment]:
        return [a for a in _assignments_of(obj) if a.state != Assignment.State.RETURNED]


class ReplyOut(Schema):
    id: int
    unit: str
    round: int
    category: str
    text: str
    commitment: str
    state: choice(Reply.State)
    submitted_at: datetime.datetime
    letter_url: str
    files: list[FileOut]


class ContactOut(Schema):
    unit: str
    way: choice(Contact.Way)
    way_label: str
    date: datetime.date
    summary: str


class EvaluationOut(Schema):
    by: str
    round: int
    rating: choice(Evaluation.Rating)
    rating_label: str
    comment: str


class EventOut(Schema):
    at: datetime.datetime
    action: str
    label: str
    actor: str | None
    comment: str


class UnitRequestOut(Schema):
    id: int
    unit: str
    kind: choice(UnitRequest.Kind)
    state: choice(UnitRequest.State)
    state_label: str
    reason: str
    new_deadline: datetime.date | None
    decision_note: str


def _assignments_of(p: Proposal) -> list[Assignment]:
    """The proposal's assignments with their units: read plainly for a detail
    (`_detailed`), prefetched for a list."""
    if "assignment_list" in p.__dict__:
        return p.__dict__["assignment_list"]
    return list(p.assignments.all())


def _unit_names(p: Proposal) -> dict[int, str]:
    """Each of the proposal's assignments (returned ones too) with its unit's name, from the
    assignments already read: the replies and contacts need no join of their own."""
    return {a.pk: a.unit.name for a in _assignments_of(p)}


class ProposalDetailOut(ProposalOut):
    """The proposal as its page shows it to the caller: a proposer sees a reply once the
    office has accepted it, the office and the units as soon as it is written."""

    situation: str
    analysis: str
    suggestions: str
    keywords: str
    replies: list[ReplyOut]
    contacts: list[ContactOut]
    evaluations: list[EvaluationOut]
    history: list[EventOut]
    my_requests: list[UnitRequestOut]
    allowed_actions: list[str]

    @staticmethod
    def resolve_replies(obj: Proposal, context) -> list[dict]:
        user = context["request"].user
        units = _unit_names(obj)
        rows = plain.rows(Reply, assignment_id=list(units), order=["id"])
        if is_proposer_side(user, obj):
            rows = [r for r in rows if r.state == Reply.State.ACCEPTED]
        files = attachments_by_parent(Reply, [r.pk for r in rows])
        return [{"id": r.pk, "unit": units[r.assignment_id], "round": r.round,
                 "category": r.category, "text": r.text, "commitment": r.commitment,
                 "state": r.state, "submitted_at": r.submitted_at,
                 "letter_url": reverse("proposals:reply_pdf", args=[r.pk]),
                 "files": [file_out(f) for f in files.get(r.pk, [])]} for r in rows]

    @staticmethod
    def resolve_contacts(obj: Proposal) -> list[dict]:
        units = _unit_names(obj)
        return [{"unit": units[c.assignment_id], "way": c.way, "way_label": c.get_way_display(),
                 "date": c.date, "summary": c.summary}
                for c in plain.rows(Contact, assignment_id=list(units), order=["date", "id"])]

    @staticmethod
    def resolve_evaluations(obj: Proposal) -> list[dict]:
        evaluations = plain.rows(Evaluation, proposal_id=obj.pk, order=["id"])
        members = plain.fill(Member, (evaluations, "member")).values()
        plain.fill(User, (members, "user"))
        return [{"by": e.member.user.full_name, "round": e.round, "rating": e.rating,
                 "rating_label": e.get_rating_display(), "comment": e.comment}
                for e in evaluations]

    @staticmethod
    def resolve_history(obj: Proposal) -> list[dict]:
        return [{"at": e.created_at, "action": e.action, "label": event_label(e.action),
                 "actor": e.actor.full_name if e.actor else None, "comment": e.comment}
                for e in history_list(obj)]

    @staticmethod
    def resolve_my_requests(obj: Proposal, context) -> list[dict]:
        """The caller's unit's return and extension requests, and their answers."""
        user = context["request"].user
        if not actor_for(user).handling_units:
            return []  # not a unit's handler: nothing to ask the database
        mine = my_assignments(user).filter(proposal=obj)
        return [{"id": r.pk, "unit": r.assignment.unit.name, "kind": r.kind,
                 "state": r.state, "state_label": r.get_state_display(), "reason": r.reason,
                 "new_deadline": r.new_deadline, "decision_note": r.decision_note}
                for r in UnitRequest.objects.filter(assignment__in=mine)
                .select_related("assignment__unit")]

    @staticmethod
    def resolve_allowed_actions(obj: Proposal, context) -> list[str]:
        """What the caller may do now, as the page's buttons: the workflow's action names."""
        return allowed_actions(obj, context["request"].user)


TITLE = "案由，最多 50 字（本政协的规则可能更少，见 getProposalRules）"
SECTION = "最多 3000 字（本政协的规则可能更少，见 getProposalRules）"


class DraftPatch(Schema):
    """Only the fields sent are changed; a field left out keeps its value (null is refused:
    to empty a text, send "")."""

    title: text(50, TITLE) = None
    situation: text(3000, SECTION) = None
    analysis: text(3000, SECTION) = None
    suggestions: text(3000, SECTION) = None
    category: choice(P.Category) = None
    keywords: text(100) = None
    kind: choice(P.Kind) = None
    may_be_public: StrictBool = None
    cosigners: list[Id] = None
    suggested_units: list[Id] = None


class DraftIn(Schema):
    member_id: Id | None = None  # which seat, for a person on two bodies
    title: text(50, TITLE) = ""
    situation: text(3000, SECTION) = ""
    analysis: text(3000, SECTION) = ""
    suggestions: text(3000, SECTION) = ""
    category: choice(P.Category) | None = None
    keywords: text(100) = ""
    kind: choice(P.Kind) = P.Kind.INDIVIDUAL.value
    may_be_public: StrictBool = True
    cosigners: list[Id] = []
    suggested_units: list[Id] = []


class EvaluationIn(Schema):
    rating: choice(Evaluation.Rating)
    comment: text(1000, "选择“不满意”时必填") = ""


class ContactIn(Schema):
    assignment_id: Id | None = None
    way: choice(Contact.Way)
    date: datetime.date
    summary: text(2000)


class ReplyIn(Schema):
    assignment_id: Id | None = None
    category: str = Field(description="答复类别代码，见 getProposalRules 的 reply_categories")
    text: text(10000)
    commitment: text(5000, "B 类答复必填") = ""


class CoOpinionIn(Schema):
    assignment_id: Id | None = None
    opinion: text(5000)


class ReturnRequestIn(Schema):
    assignment_id: Id | None = None
    reason: text(2000)


class ExtensionRequestIn(Schema):
    assignment_id: Id | None = None
    new_deadline: datetime.date
    reason: text(2000)


class InvitationOut(Schema):
    proposal_id: int
    title: str
    proposer: str
    cosign_deadline: datetime.date | None

    @staticmethod
    def resolve_proposal_id(obj: Cosigner) -> int:
        return obj.proposal_id

    @staticmethod
    def resolve_title(obj: Cosigner) -> str:
        return obj.proposal.title

    @staticmethod
    def resolve_proposer(obj: Cosigner) -> str:
        return obj.proposal.proposer.user.full_name

    @staticmethod
    def resolve_cosign_deadline(obj: Cosigner) -> datetime.date | None:
        return obj.proposal.cosign_deadline


class ProposerContactOut(Schema):
    full_name: str
    mobile: str | None


def _assignments() -> Prefetch:
    # Ordered within each proposal; the model's order would join the proposal again.
    return Prefetch("assignments", queryset=Assignment.objects.select_related("unit")
                    .order_by("role", "pk"))


def _rows(queryset):
    return queryset.select_related("session__term", "proposer__user").prefetch_related(
        _assignments())


@router.get("/mine", response=list[ProposalOut], summary="我的提案（含联名）",
            operation_id="listMyProposals")
@paginate(Pages, page_size=20)
def mine(request: HttpRequest):
    cosigned = Cosigner.objects.filter(member__user=request.user).values("proposal_id")
    return _rows(Proposal.objects.filter(
        Q(proposer__user=request.user)
        | (Q(pk__in=cosigned) & ~Q(state=Proposal.State.DRAFT))).order_by("-created_at", "-id"))


@router.get("/assigned", response=list[ProposalOut], summary="本单位承办的提案",
            operation_id="listAssignedProposals")
@paginate(Pages, page_size=20)
def assigned(request: HttpRequest):
    ids = my_assignments(request.user).exclude(state=Assignment.State.RETURNED)\
        .values("proposal_id")
    return _rows(Proposal.objects.filter(pk__in=ids).order_by("-submitted_at", "-id"))


@router.get("/invitations", response=list[InvitationOut], summary="待确认的联名邀请",
            operation_id="listCosignInvitations")
@paginate(Pages, page_size=20)
def invitations(request: HttpRequest):
    return invitations_for(request.user).select_related("proposal__proposer__user")\
        .order_by("proposal__cosign_deadline", "id")


class SimilarIn(Schema):
    title: text(200, "正在撰写的案由") = ""  # type: ignore[valid-type]
    content: text(3000, "正在撰写的情况与建议（前3000字即可）") = ""  # type: ignore[valid-type]
    seat_id: Id | None = Field(None, description="以哪个委员身份撰写（默认第一个）")
    proposal_id: Id | None = Field(None, description="修改中的提案本身，不列出")


class SimilarOut(Schema):
    id: int
    number: int | None
    title: str
    year: int
    state: str
    state_label: str
    reply_categories: list[str] = Field(description="承办单位答复类别（A/B/C）")
    similarity: float = Field(description="相似度，0–1")
    readable: bool = Field(description="本人可否打开该提案（否则只可见编号、案由与状态）")


# POST, not GET: a draft's text in a query string would outgrow the URL limits of proxies
# and gunicorn (4 KB), and a GET's URL ends up in logs.
@router.post("/similar", response=list[SimilarOut], operation_id="findSimilarProposals",
             summary="撰写时的相近提案（最多5件）")
def similar_proposals(request: HttpRequest, filters: SimilarIn) -> list[dict]:
    seats = Member.objects.filter(user=request.user, is_active=True)
    seat = (seats.filter(pk=filters.seat_id) if filters.seat_id else seats).first()
    if seat is None:
        raise Http404
    found = similar.while_writing(request.user, seat.body_id, filters.title, filters.content,
                                  exclude=filters.proposal_id)
    return [{"id": a.proposal.pk, "number": a.proposal.number, "title": a.proposal.title,
             "year": a.proposal.session.start_date.year, "state": a.proposal.state,
             "state_label": a.proposal.get_state_display(), "reply_categories": a.replies,
             "similarity": a.score, "readable": a.readable} for a in found]


@router.get("/{proposal_id}", response=ProposalDetailOut, summary="提案详情",
            operation_id="getProposal")
def detail(request: HttpRequest, proposal_id: Id):
    return _detailed(get_proposal_for(request.user, proposal_id))


def _detailed(proposal: Proposal) -> Proposal:
    """The proposal with its assignments and their units read once, for ProposalDetailOut
    (its assignments, replies and contacts all name the units)."""
    assignments = plain.rows(Assignment, proposal_id=proposal.pk, order=["role", "id"])
    plain.fill(HandlingUnit, (assignments, "unit"))
    proposal.__dict__["assignment_list"] = assignments
    return proposal


def _seat(request: HttpRequest, member_id: int | None) -> Member:
    seats = Member.objects.filter(user=request.user, is_active=True, term__is_current=True)
    seat = seats.filter(pk=member_id).first() if member_id else seats.first()
    if seat is None:
        raise Refusal("not_a_member", _("只有委员可以提出提案。"), status=403)
    return seat


def _fields(payload: Schema, **kwargs) -> dict:
    fields = payload.dict(exclude={"member_id"}, **kwargs)
    if fields.get("category") is None:
        fields.pop("category", None)
    return fields


@router.post("/", response={201: ProposalDetailOut}, summary="起草提案",
             operation_id="createProposal")
def create(request: HttpRequest, payload: DraftIn):
    require_body(request)
    return Status(201, _detailed(save_draft(_seat(request, payload.member_id), request.user,
                                            _fields(payload))))


@router.patch("/{proposal_id}", response=ProposalDetailOut,
              summary="修改草稿或退回修改的提案（只改所传字段）", operation_id="updateProposal")
def edit(request: HttpRequest, proposal_id: Id, payload: DraftPatch):
    require_body(request)
    proposal = get_proposal_for(request.user, proposal_id)
    return _detailed(save_draft(proposal.proposer, request.user,
                                _fields(payload, exclude_unset=True), proposal=proposal))


@router.get("/{proposal_id}/attachments", response=list[FileOut], summary="提案附件",
            operation_id="listProposalAttachments")
def attachments(request: HttpRequest, proposal_id: Id):
    return [file_out(f) for f in attachments_of(get_proposal_for(request.user, proposal_id))]


@router.post("/{proposal_id}/attachments", response={201: FileOut},
             summary="上传提案附件（草稿或退回修改时）", operation_id="uploadProposalAttachment")
def upload(request: HttpRequest, proposal_id: Id, file: File[UploadedFile]):
    proposal = get_proposal_for(request.user, proposal_id)
    return Status(201, file_out(add_attachment(request.user, proposal, file)))


def _act(name: str, summary: str, operation_id: str, payload_class=None):
    """An operation that performs one workflow action, its inputs from the JSON body."""
    if payload_class is None:
        def view(request: HttpRequest, proposal_id: Id):
            return _detailed(perform(proposal_id, name, request.user))
    else:
        def view(request: HttpRequest, proposal_id: Id, payload: payload_class):  # type: ignore[valid-type]
            data = payload.dict()
            if "assignment_id" in data:
                data["assignment"] = data.pop("assignment_id")
            return _detailed(perform(proposal_id, name, request.user, **data))
    view.__name__ = operation_id
    path = "/{proposal_id}/" + name.replace("_", "-")
    router.post(path, response=ProposalDetailOut, summary=summary,
                operation_id=operation_id)(view)
    return name


# What a proposer, a co-signer and a handling unit do, each through the workflow.
ACTIONS = {
    "submit": _act("submit", "提交提案（草稿或退回修改后）", "submitProposal"),
    "withdraw": _act("withdraw", "撤案", "withdrawProposal"),
    "confirm_cosign": _act("confirm_cosign", "确认联名", "confirmCosign"),
    "decline_cosign": _act("decline_cosign", "谢绝联名", "declineCosign"),
    "evaluate": _act("evaluate", "评价办理结果", "evaluateProposal", EvaluationIn),
    "record_contact": _act("record_contact", "记录与提案人沟通", "recordContact", ContactIn),
    "co_opinion": _act("co_opinion", "会办单位会签", "submitCoOpinion", CoOpinionIn),
    "reply": _act("reply", "答复提案", "replyToProposal", ReplyIn),
    "request_return": _act("request_return", "申请退回（交办不当）", "requestReturn",
                           ReturnRequestIn),
    "request_extension": _act("request_extension", "申请延期", "requestExtension",
                              ExtensionRequestIn),
}


@router.post("/{proposal_id}/proposer-contact", response=ProposerContactOut,
             summary="查看提案人联系电话（承办单位；留痕）", operation_id="revealProposerContact")
def proposer_contact(request: HttpRequest, proposal_id: Id) -> dict:
    user = reveal_proposer_contact(request.user, get_proposal_for(request.user, proposal_id))
    return {"full_name": user.full_name, "mobile": user.mobile}


@router.post("/replies/{reply_id}/files", response={201: FileOut},
             summary="为待审核的答复上传附件（答复函扫描件等）", operation_id="uploadReplyFile")
def reply_file(request: HttpRequest, reply_id: Id, file: File[UploadedFile]):
    reply = get_object_or_404(Reply.objects.select_related("assignment"), pk=reply_id,
                              assignment__proposal__in=my_assignments(request.user)
                              .values("proposal_id"))
    return Status(201, file_out(add_reply_file(request.user, reply, file)))


class ReplyCategoryOut(Schema):
    code: str
    label: str


class ProposalRulesOut(Schema):
    title_max: int
    section_max: int
    cosign_days: int
    evaluation_workdays: int
    require_contact: bool
    reply_categories: list[ReplyCategoryOut]


@router.get("/rules/{body_id}", response=ProposalRulesOut,
            summary="本政协的提案规则：字数上限、答复类别等", operation_id="getProposalRules")
def rules(request: HttpRequest, body_id: Id):
    require_role_in(request, body_id)
    return rules_for(body_id)
