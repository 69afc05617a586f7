"""People in the search box: a seat by name, sector, committee, employer, title and what
other apps say of it (fields of expertise: core.profiles), for those who may see the
directory. Registered here, since core cannot use search."""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from lvzhi.core import profiles
from lvzhi.core.access import people_for
from lvzhi.core.models import Member
from lvzhi.search import index


def register() -> None:
    index.register(index.Kind(
        "person", _("委员"), Member, _document, people_for,
        lambda pk, title: reverse("people") + "?" + urlencode({"q": title.split("（")[0]}),
        rows=lambda: Member.objects.select_related("user", "sector", "term")
        .prefetch_related("committees"),
        related={p.model: p.member_of for p in profiles.PROVIDERS},
        reads_all="people.view"))


def _document(m: Member) -> index.Document | None:
    if not m.is_active:
        return None
    committees = [c.name for c in m.committees.all()]
    more = profiles.words(m)
    sector = m.sector.name if m.sector_id else ""
    return index.Document(
        m.body_id, f"{m.user.full_name}（{sector}）" if sector else m.user.full_name,
        [sector, m.employer, m.job_title, str(m.get_position_display()), *committees, *more],
        snippet=" ".join(x for x in (m.employer, m.job_title, *committees, *more) if x),
        year=None, state=str(m.get_position_display()))
