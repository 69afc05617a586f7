from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpinionsConfig(AppConfig):
    name = "lvzhi.opinions"
    verbose_name = _("社情民意")

    def ready(self) -> None:
        from lvzhi.core import context, demo, handoffs, home
        from lvzhi.core.access import register_viewer
        from lvzhi.opinions import access
        from lvzhi.opinions import demo as opinion_demo
        from lvzhi.opinions import home as opinion_home
        from lvzhi.opinions.models import Report
        from lvzhi.opinions.workflow import receive

        context.NAV_PROVIDERS.append(opinion_home.nav)
        home.SECTIONS.insert(2, opinion_home.section)
        demo.LOADERS.append(opinion_demo.load)
        register_viewer(Report, lambda user, r: access.reports_for(user).filter(pk=r.pk).exists())
        handoffs.register("opinion_report", receive)  # a proposal converted into one
