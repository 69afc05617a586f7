from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "lvzhi.activities"
    verbose_name = _("协商议政")

    def ready(self) -> None:
        from lvzhi.activities import access
        from lvzhi.activities import demo as activity_demo
        from lvzhi.activities import home as activity_home
        from lvzhi.activities.models import Activity, Outcome
        from lvzhi.core import context, demo, home
        from lvzhi.core.access import register_viewer

        context.NAV_PROVIDERS.append(activity_home.nav)
        home.SECTIONS.insert(1, activity_home.section)
        demo.LOADERS.append(activity_demo.load)
        register_viewer(Activity, lambda user, a: access.activities_for(user)
                        .filter(pk=a.pk).exists())
        register_viewer(Outcome, lambda user, o: access.activities_for(user)
                        .filter(pk=o.activity_id).exists())
