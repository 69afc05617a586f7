"""Printable documents as PDF: the proposal form (提案表) and the reply letter (答复函).

WeasyPrint lays out an HTML template with the system's Noto CJK fonts (installed by the
setup from Debian's fonts-noto-cjk); nothing is fetched from outside.
"""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from weasyprint import HTML

from lvzhi.proposals.models import Assignment, Cosigner, Proposal, Reply
from lvzhi.proposals.services import rules_for


def _pdf(template: str, context: dict) -> bytes:
    return HTML(string=render_to_string(template, context)).write_pdf()


def proposal_form(p: Proposal) -> bytes:
    return _pdf("proposals/pdf/form.html", {
        "p": p,
        "cosigners": p.cosigners.filter(state=Cosigner.State.CONFIRMED)
        .select_related("member__user"),
        "assignments": p.assignments.exclude(state=Assignment.State.RETURNED)
        .select_related("unit"),
    })


def reply_letter(p: Proposal, reply: Reply) -> bytes:
    return _pdf("proposals/pdf/reply.html", {
        "p": p, "reply": reply, "unit": reply.assignment.unit,
        "category": rules_for(p.body_id).category_label(reply.category),
        "heading": _("关于%(body)s%(session)s%(number)s提案的答复") % {
            "body": p.body.short_name, "session": p.session, "number": p.number_label},
    })
