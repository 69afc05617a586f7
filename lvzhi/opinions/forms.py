from django import forms
from django.utils.translation import gettext_lazy as _

from lvzhi.core.models import Member
from lvzhi.opinions.models import Report


class ReportForm(forms.ModelForm):
    co_reporters = forms.ModelMultipleChoiceField(label=_("联名报送人"),
                                                  queryset=Member.objects.none(), required=False)
    photo = forms.FileField(label=_("附件或照片"), required=False,
                            widget=forms.ClearableFileInput(attrs={"accept": "image/*,.pdf"}))
    # a report may come in the name of a special committee or a party / organisation

    class Meta:
        model = Report
        fields = ["title", "category", "situation", "analysis", "suggestions", "origin",
                  "origin_name"]
        widgets = {"situation": forms.Textarea(attrs={"rows": 6}),
                   "analysis": forms.Textarea(attrs={"rows": 4}),
                   "suggestions": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, body, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["co_reporters"].queryset = Member.objects.filter(
            body=body, is_active=True, term__is_current=True).exclude(user=user)\
            .select_related("user")
        self.fields["co_reporters"].label_from_instance = lambda m: m.user.full_name
        for name in ("situation", "suggestions", "category", "origin"):
            self.fields[name].required = False  # checked at submission
        for field in self.fields.values():
            field.widget.attrs["class"] = ("form-select" if isinstance(field.widget, forms.Select)
                                           else "form-control")
