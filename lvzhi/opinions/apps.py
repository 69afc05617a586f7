from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpinionsConfig(AppConfig):
    name = "lvzhi.opinions"
    verbose_name = _("社情民意")

    def ready(self) -> None:
        from lvzhi.core import context, demo, exports, handoffs, home
        from lvzhi.core.jinja import register_filter
        from lvzhi.opinions.templatetags.opinion_tags import report_state

        register_filter("report_state", report_state)
        from lvzhi.core.access import register_viewer
        from lvzhi.duties.services import BACKFILLS
        from lvzhi.opinions import access, body_figures, queue, searchable
        from lvzhi.opinions import demo as opinion_demo
        from lvzhi.opinions import home as opinion_home
        from lvzhi.opinions.models import Report
        from lvzhi.opinions.workflow import backfill_facts, receive

        searchable.register()
        body_figures.register()
        exports.register(queue.EXPORT)
        context.NAV_PROVIDERS.append(opinion_home.nav)
        home.SECTIONS.insert(2, opinion_home.section)
        demo.LOADERS.append(opinion_demo.load)
        register_viewer(Report, lambda user, r: access.reports_for(user).filter(pk=r.pk).exists())
        handoffs.register("opinion_report", receive)  # a proposal converted into one
        _register_fact_kinds()
        BACKFILLS.append(backfill_facts)


def _register_fact_kinds() -> None:
    from django.utils.text import format_lazy

    from lvzhi.duties import kinds
    from lvzhi.opinions.models import Level

    kinds.register("opinion_submitted", _("报送社情民意信息"), "opinions")
    kinds.register("opinion_adopted", _("社情民意信息被录用"), "opinions")
    for level, level_label in Level.choices:
        kinds.register(f"opinion_adopted_{level}",
                       format_lazy("{}{}", level_label, _("采用")), "opinions")
        kinds.register(f"opinion_instruction_{level}",
                       format_lazy("{}{}", level_label, _("领导批示")), "opinions")
