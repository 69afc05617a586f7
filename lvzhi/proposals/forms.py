from django import forms
from django.utils.translation import gettext_lazy as _

from lvzhi.core.models import HandlingUnit, Member
from lvzhi.proposals.models import Proposal


class MemberPicker(forms.SelectMultiple):
    """A long list of members that a search box above it can narrow (core/static/js):
    each option carries its name, sector and committees to be matched."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        member = getattr(value, "instance", None)
        if member is not None:
            option["attrs"]["data-search"] = " ".join([
                member.user.full_name, member.sector.name,
                *(c.name for c in member.committees.all())])
        return option


class DraftForm(forms.ModelForm):
    """Collects the draft; the rules (lengths, required parts) are checked by the workflow."""

    cosigners = forms.ModelMultipleChoiceField(
        label=_("联名人"), queryset=Member.objects.none(), required=False,
        widget=MemberPicker(attrs={"size": 8}),
        help_text=_("联名提案请选择联名委员（可按住 Ctrl 多选），他们确认后才列为联名人。"))
    suggested_units = forms.ModelMultipleChoiceField(
        label=_("建议承办单位"), queryset=HandlingUnit.objects.none(), required=False)
    attachment = forms.FileField(label=_("附件"), required=False)

    class Meta:
        model = Proposal
        fields = ["title", "kind", "collective_kind", "collective_name", "category",
                  "keywords", "situation", "analysis", "suggestions", "may_be_public"]
        widgets = {
            "situation": forms.Textarea(attrs={"rows": 6}),
            "analysis": forms.Textarea(attrs={"rows": 5}),
            "suggestions": forms.Textarea(attrs={"rows": 6}),
        }

    def __init__(self, *args, member: Member, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].widget.attrs["placeholder"] = _("关于……的建议")
        self.fields["keywords"].help_text = _("用顿号分隔；留空则保存时从正文自动提取。")
        self.fields["cosigners"].queryset = Member.objects.filter(
            body_id=member.body_id, is_active=True, term__is_current=True,
        ).exclude(pk=member.pk).select_related("user", "sector").prefetch_related("committees")
        self.fields["cosigners"].label_from_instance = lambda m: f"{m.user.full_name}（{m.sector}）"
        self.fields["suggested_units"].queryset = HandlingUnit.objects.filter(
            body_id=member.body_id, is_active=True)
        for name in ("situation", "suggestions", "category"):
            self.fields[name].required = False  # checked at submission, not for a draft
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs["class"] = "form-check-input"
            elif isinstance(widget, forms.Select):
                widget.attrs["class"] = "form-select"
            else:
                widget.attrs["class"] = "form-control"
        if self.instance.pk:
            self.initial["cosigners"] = [c.member_id for c in self.instance.cosigners.all()]
            self.initial["suggested_units"] = list(
                self.instance.suggested_units.values_list("pk", flat=True))
