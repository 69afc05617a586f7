"""Forms of the activities pages that are plain model forms."""

from __future__ import annotations

from django import forms

from lvzhi.activities.models import ResearchBase


class ResearchBaseForm(forms.ModelForm):
    class Meta:
        model = ResearchBase
        fields = ["name", "kind", "address", "topics", "contact", "phone"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs["class"] = css + (" is-invalid" if name in self.errors else "")
            if name in self.errors:
                field.widget.attrs.update({"aria-invalid": "true",
                                           "aria-describedby": f"id_{name}_error"})
