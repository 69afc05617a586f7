from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "lvzhi.supervision"
    verbose_name = _("民主监督")

    def ready(self) -> None:
        from lvzhi.core import context, demo
        from lvzhi.core.access import register_viewer
        from lvzhi.duties import kinds
        from lvzhi.ledgers import services as ledgers
        from lvzhi.supervision import access, searchable
        from lvzhi.supervision import demo as supervision_demo
        from lvzhi.supervision import groups as supervision_groups
        from lvzhi.supervision import home as supervision_home
        from lvzhi.supervision.models import Problem, Supervisor

        searchable.register()
        context.NAV_PROVIDERS.append(supervision_home.nav)
        demo.LOADERS.append(supervision_demo.load)
        ledgers.CHECKERS.append(access.checked_items)
        supervision_groups.register()
        register_viewer(Problem, lambda user, p: access.problems_for(user)
                        .filter(pk=p.pk).exists())
        kinds.register("supervision_group", _("参加民主监督小组"), "activities")
        kinds.register("supervision_problem", _("反映问题被列入整改"), "outcomes")
        kinds.register("supervisor_report", _("民主监督员提出监督意见"), "outcomes")
        register_viewer(Supervisor, lambda user, s: access.supervisors_for(user)
                        .filter(pk=s.pk).exists())

