from django import forms
from django.utils.translation import gettext_lazy as _


class LoginForm(forms.Form):
    login = forms.CharField(label=_("用户名或手机号"), max_length=150,
                            widget=forms.TextInput(attrs={"autocomplete": "username",
                                                          "autofocus": True}))
    password = forms.CharField(label=_("密码"), strip=False,
                               widget=forms.PasswordInput(
                                   attrs={"autocomplete": "current-password"}))


class RosterUploadForm(forms.Form):
    body = forms.ModelChoiceField(label=_("导入到"), queryset=None, empty_label=None,
                                  widget=forms.Select(attrs={"class": "form-select"}))
    file = forms.FileField(label=_("名册文件（.xlsx）"))

    def __init__(self, *args, bodies=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = bodies
