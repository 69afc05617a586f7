from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from html import escape
from typing import Any

from django import forms
from django.core.cache import cache
from django.db import models
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from lvzhi.core.kept import keep


def options_html(choices: Iterable[tuple[Any, Any]], current: Any = "") -> SafeString:
    """`<option>`s as ready HTML, the one whose value is `current` selected. A filter bar's
    hundreds of units or sectors through Django's widgets, or even a template loop, cost
    more than the rest of the page."""
    current = str(current)
    return mark_safe("".join(  # escaped here
        f'<option value="{escape(str(value))}"{" selected" if str(value) == current else ""}>'
        f'{escape(str(label))}</option>' for value, label in choices))


def choice_labels(choices: type[models.Choices]) -> dict[Any, str]:
    """Each choice's label, translated once for a page of rows rather than once a row."""
    return {value: str(label) for value, label in choices.choices}


def named_choices(model: Any, bodies: Iterable[int], several: bool) -> list[tuple[int, str]]:
    """The bodies' sectors or committees as choices, each with its body's name when there
    are several (a city's oversight sees every district's 中共 and 民盟)."""
    return [(pk, f"{name}（{short}）" if several else name) for pk, name, short in
            model.objects.filter(body_id__in=bodies).values_list("pk", "name",
                                                                 "body__short_name")]


SETUP_VERSION = "forms:setup-version"
SETUP_CHECKED_EVERY = 5.0  # seconds a worker trusts the version it last read
SETUP_KEPT = 600  # and how long it keeps options at most: rows loaded past the signals
_setup = {"version": None, "checked": 0.0}


def kept_options(name: str, bodies: Iterable[int], build: Callable[[], Any]) -> Any:
    """What `build` makes of the bodies' setup (their sessions, sectors, units) for a
    filter bar, kept by each worker until the setup changes anywhere: the same few hundred
    options, read and escaped on every page, cost the ledger an eighth of its time. Kept
    per language; `build` returns plain strings (the cache pickles: a lazy label costs
    more to unpickle than to build)."""
    return keep(("options", name, get_language(), sorted(bodies), _setup_version()),
                SETUP_KEPT, build)


def _setup_version() -> Any:
    now = time.monotonic()
    if now - _setup["checked"] > SETUP_CHECKED_EVERY:
        _setup["version"] = cache.get(SETUP_VERSION, 0)
        _setup["checked"] = now
    return _setup["version"]


def setup_changed(**_signal: Any) -> None:
    """A session, sector, unit, term or body changed: every worker builds its options
    again (within SETUP_CHECKED_EVERY; this one at once)."""
    cache.set(SETUP_VERSION, time.time(), None)
    _setup["checked"] = 0.0


SETUP_MODELS = ("Body", "Term", "Session", "Sector", "HandlingUnit", "SpecialCommittee",
                "Department")


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


class MobileField(forms.CharField):
    def __init__(self, **kwargs) -> None:
        # Checked by the service ("11 digits"); the form only bounds what it reads.
        super().__init__(label=_("手机号"), max_length=20, widget=forms.TextInput(attrs={
            "autocomplete": "tel", "inputmode": "numeric"}), **kwargs)


class AccountField(forms.CharField):
    """The mobile number on file, or the e-mail address where one is on file."""

    def __init__(self, **kwargs) -> None:
        super().__init__(label=_("手机号或电子邮箱"), max_length=254, widget=forms.TextInput(
            attrs={"autocomplete": "username"}), **kwargs)


class MarkedForm(forms.Form):
    def mark(self) -> MarkedForm:
        """Style every input, and tie each one at fault to its message for screen readers."""
        for name, field in self.fields.items():
            attrs = field.widget.attrs
            attrs["class"] = "form-control form-control-lg"
            if name in self.errors:
                attrs.update({"class": attrs["class"] + " is-invalid", "aria-invalid": "true",
                              "aria-describedby": f"{self[name].auto_id}_error"})
        return self


class OtpForm(MarkedForm):
    token = forms.CharField(label=_("动态验证码"), max_length=20, required=False,
                            widget=forms.TextInput(attrs={"autocomplete": "one-time-code",
                                                          "autofocus": True}))


class PasswordCodeForm(MarkedForm):
    """Ask for a code by SMS or e-mail; the service checks the number or address."""

    mobile = AccountField(required=False)


class PasswordSetForm(MarkedForm):
    """The service checks every field and refuses with each at fault; the form only carries
    the values, so a refused form comes back as typed (less the passwords)."""

    mobile = AccountField(required=False)
    code = forms.CharField(label=_("验证码"), max_length=12, required=False,
                           widget=forms.TextInput(attrs={"autocomplete": "one-time-code",
                                                         "inputmode": "numeric"}))
    password1 = forms.CharField(label=_("新密码"), strip=False, required=False,
                                widget=forms.PasswordInput(attrs={
                                    "autocomplete": "new-password"}))
    password2 = forms.CharField(label=_("再次输入新密码"), strip=False, required=False,
                                widget=forms.PasswordInput(attrs={
                                    "autocomplete": "new-password"}))

    def __init__(self, *args, activation: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if activation:  # the code from an activation letter (an SMS code works too)
            self.fields["code"].label = _("激活码")
            self.fields["mobile"] = MobileField(required=False)
