"""Forms of the duty record: a member's declaration, and the office's rule set."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lvzhi.core.errors import Refusal
from lvzhi.duties import kinds
from lvzhi.duties.models import Grade, RuleSet


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented pattern); the service checks them."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list:
        if not data:
            return []
        items = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(item, initial) for item in items]


class Marked:
    """Bootstrap classes, and each field at fault tied to its message for screen readers."""

    def mark(self) -> None:
        for name, field in self.fields.items():  # type: ignore[attr-defined]
            widget = field.widget
            css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            widget.attrs.setdefault("class", css)
            if name in self.errors:  # type: ignore[attr-defined]
                widget.attrs["class"] += " is-invalid"
                widget.attrs.update({"aria-invalid": "true",
                                     "aria-describedby": f"id_{name}_error"})

    def refused(self, refusal: Refusal) -> int:
        """Put a service's refusal on the form: each field it names, or the whole form."""
        for name, message in (refusal.fields or {None: refusal.message}).items():
            self.add_error(name if name in self.fields else None, message)  # type: ignore
        self.mark()
        return refusal.status


class DeclarationForm(Marked, forms.Form):
    """The service checks every rule; the form carries the values back as typed."""

    seat = forms.ModelChoiceField(label=_("委员身份"), queryset=None, empty_label=None,
                                  required=False)
    kind = forms.ChoiceField(label=_("类别"), required=False,
                             choices=[("", _("请选择")), *kinds.DECLARED.items()])
    level = forms.ChoiceField(label=_("级别（表彰奖励）"), required=False,
                              choices=[("", _("不适用")), *kinds.AWARD_LEVELS.items()])
    occurred_on = forms.DateField(label=_("日期"), required=False,
                                  widget=forms.DateInput(attrs={"type": "date"}))
    title = forms.CharField(label=_("事项"), max_length=100, required=False)
    description = forms.CharField(label=_("具体情况"), max_length=2000, required=False,
                                  widget=forms.Textarea(attrs={"rows": 4}))
    files = MultipleFileField(label=_("证明材料（可多选）"), required=False)

    def __init__(self, *args: Any, seats: list, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["seat"].queryset = type(seats[0]).objects.filter(
            pk__in=[s.pk for s in seats]).select_related("body")
        self.fields["seat"].label_from_instance = lambda s: s.body.short_name
        if len(seats) == 1:
            self.fields["seat"].widget = forms.HiddenInput()
            self.fields["seat"].initial = seats[0].pk
        self.mark()


class RulesForm(Marked, forms.Form):
    """The year's rules on one page: points per kind, caps per category, grade floors,
    obligations (label, kinds, how many), dates. Saving makes a new version."""

    name = forms.CharField(label=_("方案名称"), max_length=60)
    scheme = forms.ChoiceField(label=_("计分方式"), choices=RuleSet.Scheme.choices)
    at_risk_on = forms.DateField(label=_("预警日期"),
                                 widget=forms.DateInput(attrs={"type": "date"}))
    cutoff = forms.DateField(label=_("年度截止日期"),
                             widget=forms.DateInput(attrs={"type": "date"}))
    correction_days = forms.IntegerField(label=_("更正申请期（工作日）"), min_value=1,
                                         max_value=60)

    def __init__(self, *args: Any, rules: RuleSet, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rules = rules
        for name in ("name", "scheme", "at_risk_on", "cutoff", "correction_days"):
            self.fields[name].initial = getattr(rules, name)
        for code, label in Grade.choices[:3]:
            self.fields[f"band_{code}"] = forms.DecimalField(
                label=_("%(g)s 最低分") % {"g": label}, max_digits=6, decimal_places=1,
                initial=rules.bands.get(code))
        self.fields["cap_total"] = forms.DecimalField(
            label=_("年度总分上限"), required=False, min_value=0, max_digits=6,
            decimal_places=1, initial=rules.caps.get("total"))
        for code, label in kinds.CATEGORIES.items():
            self.fields[f"cap_{code}"] = forms.DecimalField(
                label=_("%(c)s 上限") % {"c": label}, required=False, min_value=0,
                max_digits=6, decimal_places=1, initial=rules.caps.get(code))
        for code, kind in sorted(kinds.KINDS.items(), key=lambda i: (i[1].category, i[0])):
            if code == "correction":
                continue
            self.fields[f"pt_{code}"] = forms.DecimalField(
                label=kind.label, required=False, max_digits=6, decimal_places=1,
                min_value=-100, max_value=100, initial=rules.points.get(code))
        self.obligation_count = len(rules.obligations) + 1  # and one empty row to add
        choices = [(c, k.label) for c, k in kinds.KINDS.items() if c != "correction"]
        for i in range(self.obligation_count):
            ob = rules.obligations[i] if i < len(rules.obligations) else {}
            self.fields[f"ob_{i}_label"] = forms.CharField(
                label=_("要求"), max_length=60, required=False, initial=ob.get("label"))
            self.fields[f"ob_{i}_count"] = forms.IntegerField(
                label=_("次数"), min_value=1, max_value=50, required=False,
                initial=ob.get("count", 1))
            self.fields[f"ob_{i}_kinds"] = forms.MultipleChoiceField(
                label=_("计入的事项"), required=False, choices=choices,
                initial=ob.get("kinds", []),
                widget=forms.SelectMultiple(attrs={"size": 6}))
        self.mark()

    def clean(self) -> dict:
        data = super().clean()
        floors = [data.get(f"band_{code}") for code, _label in Grade.choices[:3]]
        if all(f is not None for f in floors) and not floors[0] > floors[1] > floors[2]:
            self.add_error("band_good", _("等次分数线应依次降低：优秀 > 良好 > 称职。"))
        if data.get("at_risk_on") and data.get("cutoff") and \
                data["at_risk_on"] > data["cutoff"]:
            self.add_error("at_risk_on", _("预警日期不能晚于年度截止日期。"))
        for i in range(self.obligation_count):
            if data.get(f"ob_{i}_label") and not data.get(f"ob_{i}_kinds"):
                self.add_error(f"ob_{i}_kinds", _("请选择计入这项要求的事项。"))
        self.mark()
        return data

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        obligations = [{"label": data[f"ob_{i}_label"], "kinds": data[f"ob_{i}_kinds"],
                        "count": data.get(f"ob_{i}_count") or 1}
                       for i in range(self.obligation_count) if data.get(f"ob_{i}_label")]
        return {
            "name": data["name"], "scheme": data["scheme"], "at_risk_on": data["at_risk_on"],
            "cutoff": data["cutoff"], "correction_days": data["correction_days"],
            "bands": {code: float(data[f"band_{code}"]) for code, _l in Grade.choices[:3]},
            "caps": {code: float(data[f"cap_{code}"]) for code in [*kinds.CATEGORIES, "total"]
                     if data.get(f"cap_{code}") is not None},
            "points": {name[3:]: float(value) for name, value in data.items()
                       if name.startswith("pt_") and value is not None},
            "obligations": obligations,
        }

    def obligation_rows(self) -> list[tuple]:
        return [(self[f"ob_{i}_label"], self[f"ob_{i}_count"], self[f"ob_{i}_kinds"])
                for i in range(self.obligation_count)]

    def groups(self) -> list[tuple[str, list]]:
        """The points fields by category, for the page."""
        out = []
        for code, label in kinds.CATEGORIES.items():
            fields = [self[f"pt_{c}"] for c, k in kinds.KINDS.items()
                      if k.category == code and c != "correction"]
            if fields:
                out.append((label, fields))
        return out


class ExpertForm(Marked, forms.Form):
    member = forms.ModelChoiceField(label=_("委员"), queryset=None, required=False,
                                    empty_label=_("（特邀专家，非委员）"))
    name = forms.CharField(label=_("姓名（特邀专家）"), max_length=40, required=False)
    employer = forms.CharField(label=_("工作单位及职称（特邀专家）"), max_length=100,
                               required=False)
    phone = forms.CharField(label=_("联系电话（特邀专家）"), max_length=20, required=False)
    fields = forms.ModelMultipleChoiceField(label=_("专业领域"), queryset=None, required=False,
                                            widget=forms.CheckboxSelectMultiple)
    profile = forms.CharField(label=_("简介"), max_length=500, required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))
    available = forms.BooleanField(label=_("可参加调研协商"), required=False, initial=True)

    def __init__(self, *args: Any, members, fields, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members
        self.fields["member"].label_from_instance = lambda m: m.user.full_name
        self.fields["fields"].queryset = fields
        self.mark()
        self.fields["fields"].widget.attrs["class"] = "form-check-input"


class OwnExpertiseForm(Marked, forms.Form):
    """我的专长: a member's own entry in the expert pool."""

    fields = forms.ModelMultipleChoiceField(label=_("专业领域"), queryset=None, required=False,
                                            widget=forms.CheckboxSelectMultiple)
    profile = forms.CharField(label=_("简介"), max_length=500, required=False,
                              help_text=_("专业背景、研究方向、可提供的支持等，500字以内。"),
                              widget=forms.Textarea(attrs={"rows": 4}))
    available = forms.BooleanField(label=_("近期可参加调研协商"), required=False, initial=True)

    def __init__(self, *args: Any, fields, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["fields"].queryset = fields
        self.mark()
        self.fields["fields"].widget.attrs["class"] = "form-check-input"
