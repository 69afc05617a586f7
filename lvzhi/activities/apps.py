from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "lvzhi.activities"
    verbose_name = _("协商议政")

    def ready(self) -> None:
        from lvzhi.activities import demo as activity_demo
        from lvzhi.activities import home as activity_home
        from lvzhi.core import context, demo, home

        context.NAV_PROVIDERS.append(activity_home.nav)
        home.SECTIONS.insert(1, activity_home.section)
        demo.LOADERS.append(activity_demo.load)
