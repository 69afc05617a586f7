"""The workflow engine every app with a lifecycle uses.

An app declares its table of actions (who may act, from which states) and registers one
handler per action. `Workflow.perform` is then the one entry point: it checks that the
actor may see the object (404 otherwise), locks the row, checks the role (403) and the
state (409), runs the handler — which validates its inputs and refuses with a Chinese
message — and appends the event, all in one transaction. Handlers record duty facts and
queue notifications (delivered on commit), so a refusal anywhere changes nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from lvzhi.core.errors import Refusal
from lvzhi.core.events import record_event
from lvzhi.core.inputs import to_int

log = logging.getLogger(__name__)

M = TypeVar("M", bound=models.Model)

# Work a write will do that needs no lock, done before `perform` opens its transaction
# (on SQLite a transaction holds the one write lock from its start, so CPU spent inside it
# makes every other write wait): search segments the object's text here, and the same
# text inside the transaction is then remembered. Each hook gets (model, pk).
BEFORE_TRANSACTION: list[Callable[[type[models.Model], int], None]] = []


@dataclass(frozen=True)
class Action:
    label: Any
    who: str
    states: frozenset[str]


@dataclass
class Context(Generic[M]):
    """What a handler gets: the locked object, the actor, the body's rules, the inputs."""

    obj: M
    actor: Any
    rules: Any
    params: dict[str, Any]
    data: dict[str, Any] = field(default_factory=dict)  # goes into the event
    probe: bool = False  # set by allowed_actions: no inputs, just "could this role act?"

    def param(self, name: str, message: str | None = None) -> Any:
        value = self.params.get(name)
        if value in (None, "", []):
            raise Refusal(f"missing_{name}", message or _("缺少必填项。"))
        return value

    def id(self, name: str, message: str) -> int:
        """An id parameter (a number, a numeric string or a model row); anything else is
        refused with `message`, as a missing one is."""
        value = to_int(getattr(self.param(name, message), "pk", self.params.get(name)))
        if value is None:
            raise Refusal(f"bad_{name}", message)
        return value

    def text(self, name: str, message: str) -> str:
        value = str(self.param(name, message)).strip()
        if not value:
            raise Refusal(f"missing_{name}", message)
        return value


class Workflow(Generic[M]):
    def __init__(
        self,
        *,
        model: type[M],
        actions: dict[str, Action],
        visible: Callable[[Any], models.QuerySet],
        rules: Callable[[M], Any],
        roles: dict[str, Callable[[Context], bool]],
        context_class: type[Context] = Context,
        not_found: str = "",
        noun: Any = "",
        event_labels: dict[str, Any] | None = None,
        state_field: str = "state",
        related: tuple[str, ...] = (),
    ) -> None:
        self.model = model
        self.actions = actions
        self.visible = visible
        self.rules = rules
        self.roles = roles
        self.context_class = context_class
        self.not_found = not_found
        self.noun = noun or _("该对象")
        self.event_labels = event_labels or {}
        self.state_field = state_field
        self.related = related
        self.handlers: dict[str, Callable[[Context], None]] = {}

    def handler(self, name: str) -> Callable[[Callable], Callable]:
        def register(func: Callable[[Context], None]) -> Callable[[Context], None]:
            assert name in self.actions, name
            self.handlers[name] = func
            return func

        return register

    def perform(self, obj: M | int, name: str, actor: Any, /, **params: Any) -> M:
        """`params` are the action's inputs as a client sent them; positional-only
        arguments, so an input named `obj`, `name` or `actor` is just an input."""
        action = self.actions.get(name)
        if action is None:
            raise Refusal("unknown_action", _("未知的操作。"))
        pk = obj if isinstance(obj, int) else obj.pk
        if not self.visible(actor).filter(pk=pk).exists():
            raise Refusal("not_found", self.not_found or _("找不到该对象，或您无权查看。"),
                          status=404)
        for prepare in BEFORE_TRANSACTION:
            prepare(self.model, pk)
        with transaction.atomic():
            # Lock only this row: joined rows (the body, the proposer) stay free for others.
            rows = self.model.objects.select_for_update(of=("self",))
            locked = (rows.select_related(*self.related) if self.related else rows).get(pk=pk)
            ctx = self.context_class(locked, actor, self.rules(locked), params)
            self._check_who(action, ctx)
            state = getattr(locked, self.state_field)
            if state not in action.states:
                label = getattr(locked, f"get_{self.state_field}_display")()
                raise Refusal("wrong_state", _("%(noun)s目前“%(state)s”，不能%(action)s。") % {
                    "noun": self.noun, "state": label, "action": action.label}, status=409)
            try:
                self.handlers[name](ctx)
            except (ValueError, TypeError, OverflowError, ValidationError) as exc:
                # A handler that met input of a shape it did not expect: the client's
                # fault, never a server error. Logged, so the handler can learn to say why.
                log.warning("%s.%s refused malformed input: %r", self.model.__name__, name, exc)
                raise Refusal("bad_input", _("提交的内容格式不正确，请检查后重试。")) from exc
            record_event(locked, name, actor, from_state=state,
                         to_state=getattr(locked, self.state_field),
                         comment=str(params.get("comment") or ""), data=ctx.data)
        return locked

    def allowed_actions(self, obj: M, actor: Any) -> list[str]:
        """The actions this actor could take now (for showing buttons; perform re-checks)."""
        names = []
        rules = self.rules(obj)  # once, not per action
        for name, action in self.actions.items():
            if getattr(obj, self.state_field) not in action.states:
                continue
            ctx = self.context_class(obj, actor, rules, {}, probe=True)
            try:
                self._check_who(action, ctx)
            except Refusal:
                continue
            names.append(name)
        return names

    def _check_who(self, action: Action, ctx: Context) -> None:
        if not self.roles[action.who](ctx):
            raise Refusal("forbidden", _("您无权对%(noun)s执行“%(action)s”。") % {
                "noun": self.noun, "action": action.label}, status=403)

    def event_label(self, action: str) -> str:
        if action in self.actions:
            return str(self.actions[action].label)
        return str(self.event_labels.get(action, action))
