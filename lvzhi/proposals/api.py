"""Proposals in the HTTP API: the member's and the handling unit's actions.

Every write goes through the same workflow entry point as the pages, so the rules and the
Chinese refusal messages are the same; a refusal becomes {"code", "message"} with its status.
"""

import datetime

from django.db.models import Prefetch, Q
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.pagination import paginate
from pydantic import StrictBool

from lvzhi.api.paging import Pages
from lvzhi.api.types import Id, require_body
from lvzhi.core.attachments import attachments_by_parent
from lvzhi.core.errors import Refusal
from lvzhi.core.events import history
from lvzhi.core.models import Member
from lvzhi.proposals.access import get_proposal_for, is_proposer_side, my_assignments
from lvzhi.proposals.models import Assignment, Contact, Cosigner, Proposal, Reply
from lvzhi.proposals.workflow import event_label, perform, save_draft

router = Router(tags=["提案"])


class AssignmentOut(Schema):
    id: int
    unit: str
    role: str
    state: str
    deadline: datetime.date
    replied_on: datetime.date | None

    @staticmethod
    def resolve_unit(obj: Assignment) -> str:
        return obj.unit.name


class ProposalOut(Schema):
    id: int
    number: int | None
    title: str
    state: str
    state_label: str
    kind: str
    timing: str
    category: str
    session: str
    proposer: str
    submitted_at: datetime.datetime | None
    evaluation_deadline: datetime.date | None
    assignments: list[AssignmentOut]

    @staticmethod
    def resolve_state_label(obj: Proposal) -> str:
        return obj.get_state_display()

    @staticmethod
    def resolve_session(obj: Proposal) -> str:
        return str(obj.session)

    @staticmethod
    def resolve_proposer(obj: Proposal) -> str:
        return obj.proposer.user.full_name

    @staticmethod
    def resolve_assignments(obj: Proposal) -> list[Assignment]:
        return [a for a in obj.assignments.all() if a.state != Assignment.State.RETURNED]


class FileOut(Schema):
    id: int
    name: str
    url: str


class ReplyOut(Schema):
    id: int
    unit: str
    round: int
    category: str
    text: str
    commitment: str
    state: str
    submitted_at: datetime.datetime
    letter_url: str
    files: list[FileOut]


class ContactOut(Schema):
    unit: str
    way: str
    way_label: str
    date: datetime.date
    summary: str


class EvaluationOut(Schema):
    by: str
    round: int
    rating: str
    rating_label: str
    comment: str


class EventOut(Schema):
    at: datetime.datetime
    action: str
    label: str
    actor: str | None
    comment: str


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

    @staticmethod
    def resolve_replies(obj: Proposal, context) -> list[dict]:
        user = context["request"].user
        rows = Reply.objects.filter(assignment__proposal=obj).select_related(
            "assignment__unit").order_by("id")
        if is_proposer_side(user, obj):
            rows = rows.filter(state=Reply.State.ACCEPTED)
        files = attachments_by_parent(Reply, [r.pk for r in rows])
        return [{"id": r.pk, "unit": r.assignment.unit.name, "round": r.round,
                 "category": r.category, "text": r.text, "commitment": r.commitment,
                 "state": r.state, "submitted_at": r.submitted_at,
                 "letter_url": reverse("proposals:reply_pdf", args=[r.pk]),
                 "files": [{"id": f.pk, "name": f.original_name,
                            "url": reverse("attachment", args=[f.pk])}
                           for f in files.get(r.pk, [])]} for r in rows]

    @staticmethod
    def resolve_contacts(obj: Proposal) -> list[dict]:
        return [{"unit": c.assignment.unit.name, "way": c.way, "way_label": c.get_way_display(),
                 "date": c.date, "summary": c.summary}
                for c in Contact.objects.filter(assignment__proposal=obj)
                .select_related("assignment__unit").order_by("date", "id")]

    @staticmethod
    def resolve_evaluations(obj: Proposal) -> list[dict]:
        return [{"by": e.member.user.full_name, "round": e.round, "rating": e.rating,
                 "rating_label": e.get_rating_display(), "comment": e.comment}
                for e in obj.evaluations.select_related("member__user").order_by("id")]

    @staticmethod
    def resolve_history(obj: Proposal) -> list[dict]:
        return [{"at": e.created_at, "action": e.action, "label": event_label(e.action),
                 "actor": e.actor.full_name if e.actor else None, "comment": e.comment}
                for e in history(obj)]



class DraftIn(Schema):
    member_id: Id | None = None  # which seat, for a person on two bodies
    title: str = ""
    situation: str = ""
    analysis: str = ""
    suggestions: str = ""
    category: str = ""
    keywords: str = ""
    kind: str = Proposal.Kind.INDIVIDUAL
    may_be_public: StrictBool = True
    cosigners: list[Id] = []
    suggested_units: list[Id] = []


class EvaluationIn(Schema):
    rating: str
    comment: str = ""


class ContactIn(Schema):
    assignment_id: Id | None = None
    way: str
    date: datetime.date
    summary: str


class ReplyIn(Schema):
    assignment_id: Id | None = None
    category: str
    text: str
    commitment: str = ""


def _rows(queryset):
    return queryset.select_related("session__term", "proposer__user").prefetch_related(
        Prefetch("assignments", queryset=Assignment.objects.select_related("unit")))


@router.get("/mine", response=list[ProposalOut], summary="我的提案（含联名）")
@paginate(Pages, page_size=20)
def mine(request: HttpRequest):
    cosigned = Cosigner.objects.filter(member__user=request.user).values("proposal_id")
    return _rows(Proposal.objects.filter(
        Q(proposer__user=request.user)
        | (Q(pk__in=cosigned) & ~Q(state=Proposal.State.DRAFT))).order_by("-created_at", "-id"))


@router.get("/assigned", response=list[ProposalOut], summary="本单位承办的提案")
@paginate(Pages, page_size=20)
def assigned(request: HttpRequest):
    ids = my_assignments(request.user).exclude(state=Assignment.State.RETURNED)\
        .values("proposal_id")
    return _rows(Proposal.objects.filter(pk__in=ids))


@router.get("/{proposal_id}", response=ProposalDetailOut, summary="提案详情")
def detail(request: HttpRequest, proposal_id: Id):
    return get_proposal_for(request.user, proposal_id)


def _seat(request: HttpRequest, member_id: int | None) -> Member:
    seats = Member.objects.filter(user=request.user, is_active=True, term__is_current=True)
    seat = seats.filter(pk=member_id).first() if member_id else seats.first()
    if seat is None:
        raise Refusal("not_a_member", _("只有委员可以提出提案。"), status=403)
    return seat


@router.post("/", response={201: ProposalDetailOut}, summary="起草提案")
def create(request: HttpRequest, payload: DraftIn):
    require_body(request)
    fields = payload.dict(exclude={"member_id"})
    return Status(201, save_draft(_seat(request, payload.member_id), request.user, fields))


@router.put("/{proposal_id}", response=ProposalDetailOut, summary="修改草稿")
def edit(request: HttpRequest, proposal_id: Id, payload: DraftIn):
    require_body(request)
    proposal = get_proposal_for(request.user, proposal_id)
    fields = payload.dict(exclude={"member_id"}, exclude_unset=True)
    return save_draft(proposal.proposer, request.user, fields, proposal=proposal)


@router.post("/{proposal_id}/submit", response=ProposalDetailOut, summary="提交提案")
def submit(request: HttpRequest, proposal_id: Id):
    return perform(proposal_id, "submit", request.user)


@router.post("/{proposal_id}/cosign", response=ProposalDetailOut, summary="确认联名")
def cosign(request: HttpRequest, proposal_id: Id, accept: bool = True):
    return perform(proposal_id, "confirm_cosign" if accept else "decline_cosign", request.user)


@router.post("/{proposal_id}/evaluate", response=ProposalDetailOut, summary="评价办理结果")
def evaluate(request: HttpRequest, proposal_id: Id, payload: EvaluationIn):
    return perform(proposal_id, "evaluate", request.user, **payload.dict())


@router.post("/{proposal_id}/contacts", response=ProposalDetailOut, summary="记录与提案人沟通")
def contact(request: HttpRequest, proposal_id: Id, payload: ContactIn):
    data = payload.dict()
    return perform(proposal_id, "record_contact", request.user,
                   assignment=data.pop("assignment_id"), **data)


@router.post("/{proposal_id}/reply", response=ProposalDetailOut, summary="答复提案")
def reply(request: HttpRequest, proposal_id: Id, payload: ReplyIn):
    data = payload.dict()
    return perform(proposal_id, "reply", request.user,
                   assignment=data.pop("assignment_id"), **data)


