"""The office's ledger filters, shared by the page and the Excel export."""

from __future__ import annotations

from django import forms
from django.db.models import QuerySet
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from lvzhi.core.forms import kept_options, options_html
from lvzhi.core.models import HandlingUnit, Sector, Session
from lvzhi.proposals.models import Assignment, Proposal, Reply, UnitRequest
from lvzhi.search.index import matching

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
    tab = forms.ChoiceField(choices=list(TABS.items()), required=False)
    q = forms.CharField(label=_("关键词"), required=False, max_length=200)
    session = forms.ModelChoiceField(label=_("会议"), queryset=Session.objects.none(),
                                     required=False, empty_label=_("全部会议"))
    timing = forms.ChoiceField(label=_("类别"), required=False,
                               choices=[("", _("大会及平时")), *Proposal.Timing.choices])
    category = forms.ChoiceField(label=_("分类"), required=False,
                                 choices=[("", _("全部分类")), *Proposal.Category.choices])
    state = forms.ChoiceField(label=_("状态"), required=False,
                              choices=[("", _("全部状态")), *Proposal.State.choices])
    sector = forms.ModelChoiceField(label=_("界别"), queryset=Sector.objects.none(),
                                    required=False, empty_label=_("全部界别"))
    unit = forms.ModelChoiceField(label=_("承办单位"), queryset=HandlingUnit.objects.none(),
                                  required=False, empty_label=_("全部承办单位"))
    key = forms.BooleanField(label=_("重点提案"), required=False)
    excellent = forms.BooleanField(label=_("优秀提案"), required=False)

    def __init__(self, data, bodies: set[int]):
        super().__init__(data)
        self.bodies = bodies
        self.fields["session"].queryset = Session.objects.filter(body_id__in=bodies)\
            .select_related("term")
        self.fields["sector"].queryset = Sector.objects.filter(body_id__in=bodies)
        self.fields["unit"].queryset = HandlingUnit.objects.filter(body_id__in=bodies)
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
        kept = kept_options("proposals.ledger", self.bodies, self._unchosen)
        selects = []
        for name, (choices, unchosen) in kept.items():
            current = chosen.get(name, "")
            selects.append({"name": name, "label": self.fields[name].label, "options":
                            options_html(choices, current) if current else unchosen})
        return selects

    def _unchosen(self) -> dict[str, tuple[list[tuple], SafeString]]:
        found = {}
        for name in ("session", "timing", "category", "state", "sector", "unit"):
            choices = self._choices(self.fields[name])
            found[name] = (choices, options_html(choices, ""))
        return found

    @staticmethod
    def _choices(field: forms.Field) -> list[tuple]:
        if not isinstance(field, forms.ModelChoiceField):
            return [(value, str(label)) for value, label in field.choices]
        rows = field.queryset
        if rows.model is Session:
            labels = [(s.pk, str(s)) for s in rows]
        else:
            labels = list(rows.values_list("pk", "name"))
        return [("", str(field.empty_label)), *labels]

    def apply(self, rows: QuerySet[Proposal], today) -> QuerySet[Proposal]:
        if not self.is_valid():
            return rows.none()
        d = self.cleaned_data
        rows = _tab(rows, d.get("tab") or "all", today)
        if d.get("q") and (found := matching("proposal", d["q"])) is not None:
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


