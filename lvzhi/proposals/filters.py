"""The office's ledger filters, shared by the page and the Excel export."""

from __future__ import annotations

from django import forms
from django.db.models import QuerySet
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from lvzhi.core.forms import kept_options, named_choices, options_html
from lvzhi.core.models import HandlingUnit, Sector, Session
from lvzhi.proposals.models import Assignment, Proposal, Reply, UnitRequest
from lvzhi.search.index import holding, matching

TABS = {
    "all": _("全部"),
    "review": _("待审查"),
    "assign": _("待交办"),
    "handling": _("办理中"),
    "overdue": _("已逾期"),
    "requests": _("单位申请"),
    "replies": _("答复待审核"),
    "followup": _("承诺跟踪"),
}


class LedgerFilter(forms.Form):
    """The body's sessions, sectors and units are choices, not querysets: their options
    are kept with the body's setup (core.forms.kept_options), so a filtered page neither
    reads them nor asks the database whether the chosen one exists."""

    tab = forms.ChoiceField(choices=list(TABS.items()), required=False)
    q = forms.CharField(label=_("关键词"), required=False, max_length=200)
    session = forms.TypedChoiceField(label=_("会议"), coerce=int, empty_value=None,
                                     required=False)
    timing = forms.ChoiceField(label=_("类别"), required=False,
                               choices=[("", _("大会及平时")), *Proposal.Timing.choices])
    category = forms.ChoiceField(label=_("分类"), required=False,
                                 choices=[("", _("全部分类")), *Proposal.Category.choices])
    state = forms.ChoiceField(label=_("状态"), required=False,
                              choices=[("", _("全部状态")), *Proposal.State.choices])
    sector = forms.TypedChoiceField(label=_("界别"), coerce=int, empty_value=None,
                                    required=False)
    unit = forms.TypedChoiceField(label=_("承办单位"), coerce=int, empty_value=None,
                                  required=False)
    key = forms.BooleanField(label=_("重点提案"), required=False)
    excellent = forms.BooleanField(label=_("优秀提案"), required=False)

    SELECTS = ("session", "timing", "category", "state", "sector", "unit")
    ALL = {"session": _("全部会议"), "sector": _("全部界别"), "unit": _("全部承办单位")}

    def __init__(self, data, bodies: set[int]):
        super().__init__(data)
        self.kept = kept_options("proposals.ledger", bodies, lambda: self._selects(bodies))
        for name in self.ALL:  # called when needed: checking a choice, drawing the widget
            self.fields[name].choices = lambda name=name: self.kept[name][0]
        for field in self.fields.values():
            css = "form-check-input" if isinstance(field, forms.BooleanField) else "form-select"
            field.widget.attrs["class"] = css
            field.widget.attrs["aria-label"] = field.label  # the filter bar shows no labels
        self.fields["q"].widget.attrs.update(
            {"class": "form-control", "placeholder": _("案由或正文关键词")})

    def options(self) -> list[dict]:
        """Each select's options as ready HTML: rendering hundreds of units through Django's
        widget templates, or even a template loop, cost more than the rest of the page.
        With nothing chosen, the options are the same on every page of the body."""
        chosen = self.data if self.is_bound else {}
        selects = []
        for name, (choices, unchosen) in self.kept.items():
            current = chosen.get(name, "")
            selects.append({"name": name, "label": self.fields[name].label, "options":
                            options_html(choices, current) if current else unchosen})
        return selects

    def _selects(self, bodies: set[int]) -> dict[str, tuple[list[tuple], SafeString]]:
        """Each select's choices and its options with nothing chosen, as plain strings."""
        rows = {
            "session": [(s.pk, str(s)) for s in Session.objects.filter(body_id__in=bodies)
                        .select_related("term")],
            "sector": named_choices(Sector, bodies, len(bodies) > 1),
            "unit": list(HandlingUnit.objects.filter(body_id__in=bodies)
                         .values_list("pk", "name")),
        }
        found = {}
        for name in self.SELECTS:
            choices = [("", str(self.ALL[name])), *rows[name]] if name in rows else [
                (value, str(label)) for value, label in self.fields[name].choices]
            found[name] = (choices, options_html(choices, ""))
        return found

    def apply(self, rows: QuerySet[Proposal], today, *, walk: bool = False
              ) -> QuerySet[Proposal]:
        """The rows the filter keeps. `walk`: for a page of the list in its order — the
        keyword asked of each row as it is walked, not every match listed first."""
        if not self.is_valid():
            return rows.none()
        d = self.cleaned_data
        rows = _tab(rows, d.get("tab") or "all", today)
        if d.get("q") and walk and (holds := holding("proposal", d["q"])) is not None:
            rows = rows.filter(holds)
        elif d.get("q") and (found := matching("proposal", d["q"])) is not None:
            rows = rows.filter(pk__in=found)  # the full-text index, not a scan of titles
        for name in ("session", "timing", "category", "state"):
            if d.get(name):
                rows = rows.filter(**{name: d[name]})
        if d.get("sector"):
            rows = rows.filter(proposer__sector=d["sector"])
        if d.get("unit"):
            rows = rows.filter(pk__in=Assignment.objects.filter(unit=d["unit"])
                               .exclude(state=Assignment.State.RETURNED).values("proposal_id"))
        if d.get("key"):
            rows = rows.filter(is_key=True)
        if d.get("excellent"):
            rows = rows.filter(is_excellent=True)
        return rows


def _tab(rows: QuerySet[Proposal], tab: str, today) -> QuerySet[Proposal]:
    S, A = Proposal.State, Assignment.State
    active = Assignment.objects.exclude(state__in=[A.RETURNED, A.ACCEPTED, A.SIGNED_OFF])
    return {
        "all": lambda: rows,
        "review": lambda: rows.filter(state=S.SUBMITTED),
        "assign": lambda: rows.filter(state=S.FILED),
        "handling": lambda: rows.filter(state=S.HANDLING),
        "overdue": lambda: rows.filter(state=S.HANDLING, pk__in=active.filter(
            deadline__lt=today, state=A.HANDLING).values("proposal_id")),
        "requests": lambda: rows.filter(pk__in=UnitRequest.objects.filter(
            state=UnitRequest.State.PENDING).values("assignment__proposal_id")),
        "replies": lambda: rows.filter(pk__in=Reply.objects.filter(
            state=Reply.State.PENDING).values("assignment__proposal_id")),
        "followup": lambda: rows.filter(pk__in=Reply.objects.filter(
            category="B", state=Reply.State.ACCEPTED, followed_up_on__isnull=True)
            .values("assignment__proposal_id")),
    }[tab]()


