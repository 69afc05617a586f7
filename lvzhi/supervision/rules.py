"""A body's supervision settings (系统配置 → 民主监督规则)."""

from __future__ import annotations

from lvzhi.supervision.models import Form, SupervisionRules


def forms_for(body_id: int) -> list[str]:
    """The body's forms of supervision, or the ready list while it has set none."""
    rules = SupervisionRules.objects.filter(body_id=body_id).first()
    return rules.form_list() if rules else [str(label) for label in Form.labels]
