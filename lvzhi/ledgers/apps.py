from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LedgersConfig(AppConfig):
    name = "lvzhi.ledgers"
    verbose_name = _("台账")

    def ready(self) -> None:
        from lvzhi.core import context, demo, home
        from lvzhi.core.access import register_viewer
        from lvzhi.ledgers import appraisal, exporting, searchable
        from lvzhi.ledgers import demo as ledger_demo
        from lvzhi.ledgers import home as ledger_home
        from lvzhi.ledgers.models import ProgressReport, Task
        from lvzhi.ledgers.services import tasks_for

        searchable.register()
        exporting.register()
        appraisal.register_figures()
        context.NAV_PROVIDERS.append(ledger_home.nav)
        home.SECTIONS.append(ledger_home.section)
        demo.LOADERS.append(ledger_demo.load)
        register_viewer(Task, lambda user, t: tasks_for(user).filter(pk=t.pk).exists())
        register_viewer(ProgressReport, lambda user, r: tasks_for(user)
                        .filter(pk=r.task_id).exists())
