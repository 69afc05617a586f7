"""The proposal figures of a body's year for the city's evaluation of districts: filed
proposals, and 办复率 counted as the office's figures count it (`figures.compute`)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lvzhi.core import figures
from lvzhi.proposals import figures as stats
from lvzhi.proposals.models import Proposal


def _filed(body_id: int, year: int):
    return Proposal.objects.filter(body_id=body_id, filed_at__year=year)


def _replied(body_id: int, year: int) -> float:
    rates = stats.compute(_filed(body_id, year), timezone.localdate()).overall
    return figures.rate(rates.replied, rates.assigned)


def register() -> None:
    figures.register("proposals_filed", _("立案提案"), _("件"),
                     lambda b, y: _filed(b, y).count())
    figures.register("proposals_replied", _("提案办复率"), "%", _replied)
