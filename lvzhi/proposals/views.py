"""Proposal pages: the member's, the office's, the handling unit's and the leader's."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lvzhi.core import plain
from lvzhi.core.access import actor_for, bodies_with
from lvzhi.core.attachments import attach, attachments_of_many, check_upload
from lvzhi.core.errors import Refusal, refill
from lvzhi.core.events import history_list
from lvzhi.core.export_views import start_view
from lvzhi.core.inputs import to_int, to_year
from lvzhi.core.models import HandlingUnit, Member, Role, RoleKind, User
from lvzhi.core.paging import IdsFirstPaginator
from lvzhi.core.responses import pdf_response
from lvzhi.core.views import _without_page
from lvzhi.core.workdays import WorkCalendar
from lvzhi.proposals import documents, ledger, similar
from lvzhi.proposals import figures as stats
from lvzhi.proposals.access import (
    get_proposal_for,
    invitations_for,
    may_view_reply,
    my_assignments,
    proposals_for,
)
from lvzhi.proposals.actions.supervision import INDICATORS
from lvzhi.proposals.filters import TABS, LedgerFilter
from lvzhi.proposals.forms import DraftForm
from lvzhi.proposals.models import (
    Assignment,
    Contact,
    Cosigner,
    Evaluation,
    Proposal,
    QualityScore,
    RejectGround,
    Reply,
    SupervisionNote,
    UnitRequest,
)
from lvzhi.proposals.services import rules_for, rules_of, today
from lvzhi.proposals.units import suggest as suggest_units
from lvzhi.proposals.workflow import (
    ACTIONS,
    allowed_actions,
    event_label,
    perform,
    reveal_proposer_contact,
    save_draft,
)

# Only the columns the row templates show: the sections alone are up to 9,000 characters a
# row, and fewer columns make the lists' queries cheaper to build and to read.
ITEM_FIELDS = ("number", "title", "state", "is_key", "is_excellent", "timing",
               "session__number", "session__term__number", "proposer__user__full_name")


def _listed(rows: QuerySet[Proposal], fields: tuple[str, ...] = ITEM_FIELDS) -> QuerySet:
    related = {field.rsplit("__", 1)[0] for field in fields if "__" in field}
    return rows.select_related(*related).only(*fields)


def _with_units(rows: Iterable[Proposal]) -> list[Proposal]:
    """The rows, each with its current assignments and their units in `units`: two plain
    reads (prefetch_related's bookkeeping cost more than the queries)."""
    rows = list(rows)
    units: dict[int, list[Assignment]] = {p.pk: [] for p in rows}
    shown = [a for a in plain.rows(Assignment, proposal_id=list(units), order=["role", "id"])
             if a.state != Assignment.State.RETURNED]
    plain.fill(HandlingUnit, (shown, "unit"))
    for assignment in shown:
        units[assignment.proposal_id].append(assignment)
    for p in rows:
        p.units = units[p.pk]
    return rows


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    """The member's proposals and co-signing invitations."""
    # By seat ids, not through the user join, so the (proposer, created_at, id) index gives
    # the newest twenty without sorting all of a member's proposals (proposal_mine).
    seats = actor_for(request.user).seat_ids
    own = Proposal.objects.filter(proposer_id__in=seats)
    rows = Paginator(_listed(own), 20).get_page(request.GET.get("page"))
    rows.object_list = _with_units(rows.object_list)
    # What they were asked to co-sign, read first: most members have little or nothing
    # there, and then neither list asks the database again.
    asked = plain.rows(Cosigner, member_id=seats, order=())
    cosigned = _listed(Proposal.objects.filter(pk__in={c.proposal_id for c in asked})
                       .exclude(state=Proposal.State.DRAFT))[:50] if asked else []
    invitations = invitations_for(request.user).select_related("proposal__proposer__user") \
        if any(c.state == Cosigner.State.INVITED for c in asked) else []
    return render(request, "proposals/mine.html", {
        "page": rows, "cosigned": _with_units(cosigned), "invitations": invitations,
        "today": today(),
        "can_submit": bool(bodies_with(request.user, "proposals.submit")),
    })


def _my_seats(request: HttpRequest):
    seats = Member.objects.filter(user=request.user, is_active=True, term__is_current=True)\
        .select_related("body")
    if not seats:
        raise Http404
    return seats


@login_required
def similar_while_writing(request: HttpRequest) -> HttpResponse:
    """The part of the writing page that lists similar earlier proposals (htmx)."""
    # The page posts (a draft's text outgrows a URL); GET serves a short title alone.
    data = request.POST if request.method == "POST" else request.GET
    seats = Member.objects.filter(user=request.user, is_active=True)
    seat = seats.filter(pk=to_int(data.get("seat"))).first() or seats.first()
    if seat is None:
        raise Http404
    found = similar.while_writing(
        request.user, seat.body_id, data.get("title", "")[:200],
        " ".join(data.get(f, "")[:3000] for f in ("situation", "suggestions")),
        exclude=to_int(request.GET.get("proposal")))
    return render(request, "proposals/_similar.html", {"found": found})


@login_required
def edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    proposal = get_proposal_for(request.user, pk) if pk else None
    if proposal is not None:
        if proposal.proposer.user_id != request.user.pk:
            raise Http404
        member = proposal.proposer
    else:
        seats = _my_seats(request)
        member = seats.filter(pk=request.GET.get("seat") or request.POST.get("seat")).first() \
            or seats[0]
    form = DraftForm(request.POST or None, request.FILES or None, member=member,
                     instance=proposal)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            proposal = _save_from_form(request, form, member, proposal)
        except Refusal as refusal:
            messages.error(request, refusal.message)
            status = refusal.status
        else:
            messages.success(request, _("已提交，等待审查。") if "submit" in request.POST
                             else _("草稿已保存。"))
            return redirect(proposal.get_absolute_url())
    elif request.method == "POST":
        status = 400
    return render(request, "proposals/edit.html", {
        "form": form, "proposal": proposal, "member": member,
        "rules": rules_for(member.body_id),
        "seats": None if proposal else _my_seats(request),
    }, status=status)


def _save_from_form(request: HttpRequest, form: DraftForm, member: Member,
                    proposal: Proposal | None) -> Proposal:
    fields: dict[str, Any] = dict(form.cleaned_data)
    fields["cosigners"] = [m.pk for m in fields["cosigners"]]
    fields["suggested_units"] = [u.pk for u in fields["suggested_units"]]
    upload = fields.pop("attachment", None)
    if upload:
        check_upload(upload)
    with transaction.atomic():
        proposal = save_draft(member, request.user, fields, proposal=proposal)
        if upload:
            attach(proposal, upload, request.user)
        if "submit" in request.POST:
            perform(proposal, "submit", request.user)
    return proposal


@login_required
def detail(request: HttpRequest, pk: int, *, error: Refusal | None = None,
           show_contact: bool = False, posted: tuple[str, Any] | None = None) -> HttpResponse:
    """`posted`: a refused action's name and what was typed, to fill its form in again."""
    proposal = get_proposal_for(request.user, pk)
    context = _detail_context(request, proposal)
    context.update(refill(error, posted))
    context["contact_shown"] = show_contact
    context["proposer_mobile"] = proposal.proposer.user.mobile if show_contact else None
    return render(request, "proposals/detail.html", context,
                  status=error.status if error else 200)


@login_required
@require_POST
def proposer_contact(request: HttpRequest, pk: int) -> HttpResponse:
    """The proposer's number, for the units that must contact them: shown on asking, and
    the asking is in the proposal's history."""
    reveal_proposer_contact(request.user, get_proposal_for(request.user, pk))
    return detail(request, pk, show_contact=True)


def _with_handling(assignments: list[Assignment]) -> list[Assignment]:
    """Each assignment's contacts, requests and replies (newest first) as `contact_list`,
    `request_list` and `reply_list`: three plain reads (prefetch_related's bookkeeping
    cost more than the queries)."""
    by_pk = {a.pk: a for a in assignments}
    for a in assignments:
        a.contact_list, a.request_list, a.reply_list = [], [], []
    for found, name in ((plain.rows(Contact, assignment_id=list(by_pk)), "contact_list"),
                        (plain.rows(UnitRequest, assignment_id=list(by_pk)), "request_list"),
                        (plain.rows(Reply, assignment_id=list(by_pk), order=["-id"]),
                         "reply_list")):
        for row in found:
            getattr(by_pk[row.assignment_id], name).append(row)
    return assignments


def _attach_files(p: Proposal, replies: list[Reply]) -> list:
    """Each reply's files as `reply.files` and the proposal's own, returned, in one query;
    the page shows a reply's to whoever may read the reply (the template already hides
    unaccepted replies from proposers)."""
    files = attachments_of_many([p, *replies])
    for r in replies:
        r.files = files.get((Reply, r.pk), [])
    return files.get((Proposal, p.pk), [])


def _detail_context(request: HttpRequest, p: Proposal) -> dict[str, Any]:
    actor = actor_for(request.user)
    # Ordered here, not by the model's order, which joins the proposal for nothing.
    assignments = plain.rows(Assignment, proposal_id=p.pk, order=["role", "id"])
    plain.fill(HandlingUnit, (assignments, "unit"))
    _with_handling(assignments)
    rules = rules_of(p)
    actions = allowed_actions(p, request.user)
    replies = sorted((r for a in assignments for r in a.reply_list),
                     key=lambda r: (r.submitted_at, r.pk))
    mine = [a for a in assignments if a.unit_id in actor.handling_units
            and a.state != Assignment.State.RETURNED]
    cosigners = plain.rows(Cosigner, proposal_id=p.pk, order=["id"])
    evaluations = plain.rows(Evaluation, proposal_id=p.pk)
    notes = plain.rows(SupervisionNote, proposal_id=p.pk)
    events = history_list(p)
    attachments = _attach_files(p, replies)
    leaders = plain.rows(Role, body_id=p.body_id, kind=RoleKind.LEADER, order=["id"]) \
        if "mark_key" in actions else []
    # the people on the page, each read once
    members = plain.fill(Member, (cosigners, "member"), (evaluations, "member")).values()
    plain.fill(User, (members, "user"), (notes, "author"), (events, "actor"),
               (leaders, "user"))
    suggested = list(p.suggested_units.all()) if "assign" in actions else []
    learned = suggest_units(p) if "assign" in actions else []
    return {
        "p": p, "rules": rules, "actions": actions, "labels": ACTIONS,
        "assignments": assignments, "my_assignments": mine,
        "cosigners": cosigners,
        "evaluations": evaluations,
        "events": [(e, event_label(e.action)) for e in events],
        "attachments": attachments,
        "supervision_notes": notes,
        "quality": next(iter(plain.rows(QualityScore, proposal_id=p.pk, order=())), None)
        if "score" in actions else None,
        "score_fields": [(name, QualityScore._meta.get_field(name).verbose_name)
                         for name in INDICATORS],
        "reject_grounds": RejectGround.choices, "conversions": Proposal.Conversion.choices,
        "ways": Contact.Way.choices, "ratings": Evaluation.Rating.choices,
        "roles": Assignment.Role.choices, "today": today(),
        "units": _units_in_order(p, suggested, learned) if "assign" in actions
        else p.body.handlingunit_set.filter(is_active=True) if "add_unit" in actions else [],
        "suggested": suggested, "learned": learned,
        "reply_fields": [("category", _("答复类别"), 0), ("text", _("答复内容"), 4),
                         ("commitment", _("落实承诺（B 类必填）"), 2)],
        "leaders": leaders,
        # from the assignments already read (their requests and replies are prefetched)
        "pending_requests": sorted((q for a in assignments for q in a.request_list
                                    if q.state == UnitRequest.State.PENDING),
                                   key=lambda q: (q.requested_at, q.pk)),
        "pending_replies": [r for r in replies if r.state == Reply.State.PENDING],
        "open_commitments": [r for r in replies if r.category == "B"
                             and r.state == Reply.State.ACCEPTED and r.followed_up_on is None],
        "merge_candidates": similar.merge_candidates(request.user, p)
        if "merge" in actions else [],
        "merge_targets": Proposal.objects.filter(
            body_id=p.body_id, state__in=[Proposal.State.FILED, Proposal.State.HANDLING,
                                          Proposal.State.EVALUATING, Proposal.State.CLOSED],
        ).only("pk", "number", "title")[:200] if "merge" in actions else [],
        "deadline_note": WorkCalendar().unknown_years_note(
            *[a.deadline for a in assignments]),
        "is_proposer": p.proposer.user_id == request.user.pk,
        # proposers and co-signers see replies only once the office has accepted them
        "proposer_side": p.proposer.user_id == request.user.pk
        or any(c.member.user_id == request.user.pk for c in cosigners)
        or (bool(actor.seat_ids) and p.merged.filter(proposer_id__in=actor.seat_ids).exists()),
        "has_returned": any(a.state == Assignment.State.RETURNED for a in assignments),
    }


# POST fields that carry lists, and those that mean yes/no.
LIST_PARAMS = ("units", "co_units")
BOOL_PARAMS = ("approve", "key", "excellent")


@login_required
@require_POST
def act(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    params: dict[str, Any] = {k: v for k, v in request.POST.items() if k != "csrfmiddlewaretoken"}
    for key in LIST_PARAMS:
        params[key] = request.POST.getlist(key)
    for key in BOOL_PARAMS:
        if key in params:
            params[key] = params[key] in ("1", "true", "on")
    upload = request.FILES.get("file")
    try:
        if upload:
            check_upload(upload)
        if upload and name == "reply":
            with transaction.atomic():
                proposal = perform(pk, name, request.user, **params)
                attach(Reply.objects.filter(assignment__proposal=proposal).latest("id"),
                       upload, request.user)
        else:
            # perform() checks visibility before its own transaction, so the write lock
            # is held only for the action itself.
            proposal = perform(pk, name, request.user, **params)
    except Refusal as refusal:
        if refusal.status == 404:
            raise Http404 from None
        if not refusal.fields:
            messages.error(request, refusal.message)
        return detail(request, pk, error=refusal, posted=(name, request.POST))
    messages.success(request, _("已完成：%(action)s。") % {"action": ACTIONS[name].label})
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}):
        target = proposal.get_absolute_url()
    return redirect(target)


def _office_bodies_or_404(request: HttpRequest) -> set[int]:
    found = ledger.bodies(request.user)
    if not found:
        raise Http404
    return found


def _ledger(request: HttpRequest) -> tuple[LedgerFilter, QuerySet[Proposal]]:
    _office_bodies_or_404(request)
    return ledger.filtered(request.user, request.GET)


@login_required
def office(request: HttpRequest) -> HttpResponse:
    form, rows = _ledger(request)
    walked = ledger.walked(request.user, form, rows)
    page = IdsFirstPaginator(walked.order_by("-submitted_at", "-id"), 30,
                             fetch=ledger.page_rows, counted=rows,
                             kept_for=ledger.bodies(request.user))\
        .get_page(request.GET.get("page"))
    return render(request, "proposals/office.html", {
        "form": form, "selects": form.options(), "page": page, "tabs": TABS,
        "tab": request.GET.get("tab") or "all",
        "query_base": _without_page(request), "today": today(),
    })


office_export = start_view("proposals.ledger")


@login_required
def figures(request: HttpRequest) -> HttpResponse:
    form, rows = _ledger(request)
    year = to_year(request.GET.get("year"))
    if year:
        rows = rows.filter(submitted_at__year=year)
    return render(request, "proposals/figures.html", {
        "form": form, "year": year, "figures": stats.compute(rows, today()),
    })


def _units_in_order(p: Proposal, suggested: list, learned: list) -> list[HandlingUnit]:
    """The proposer's suggestions first, then the learned ones, then the rest by order."""
    first = [u.pk for u in suggested] + [s.unit.pk for s in learned]
    rest = list(p.body.handlingunit_set.filter(is_active=True))
    place = {pk: i for i, pk in enumerate(dict.fromkeys(first))}
    return sorted(rest, key=lambda u: place.get(u.pk, len(place)))


@login_required
def unit(request: HttpRequest) -> HttpResponse:
    assignments = my_assignments(request.user)
    if not actor_for(request.user).handling_units:
        raise Http404
    rows = assignments.exclude(state=Assignment.State.RETURNED)\
        .select_related("unit", "proposal__proposer__user", "proposal__session__term")\
        .order_by("state", "deadline")
    return render(request, "proposals/unit.html", {"assignments": rows, "today": today()})


@login_required
def leader(request: HttpRequest) -> HttpResponse:
    bodies = bodies_with(request.user, "proposals.supervise", write=True)
    if not bodies:
        raise Http404
    rows = _with_units(_listed(proposals_for(request.user).filter(
        body_id__in=bodies, is_key=True), (*ITEM_FIELDS, "supervisor_id")))
    return render(request, "proposals/leader.html", {
        "mine": [p for p in rows if p.supervisor_id == request.user.pk],
        "others": [p for p in rows if p.supervisor_id != request.user.pk], "today": today()})


@login_required
def proposal_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = get_proposal_for(request.user, pk)
    return pdf_response(documents.proposal_form(proposal), f"{_pdf_name(proposal)}.pdf")


@login_required
def reply_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    reply = get_object_or_404(Reply.objects.select_related("assignment__unit"), pk=pk)
    if not may_view_reply(request.user, reply):
        raise Http404  # proposers see a reply once the office has accepted it
    proposal = get_proposal_for(request.user, reply.assignment.proposal_id)
    return pdf_response(documents.reply_letter(proposal, reply),
                        _("%(name)s答复函（%(unit)s）") % {
                            "name": _pdf_name(proposal), "unit": reply.assignment.unit.name}
                        + ".pdf")


def _pdf_name(p: Proposal) -> str:
    """十四届一次会议第1号提案: two sessions' 第1号 must not download under one name."""
    if p.number:
        return _("%(session)s%(number)s提案") % {"session": p.session, "number": p.number_label}
    return _("提案草稿%(pk)s") % {"pk": p.pk}

