from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DutiesConfig(AppConfig):
    name = "lvzhi.duties"
    verbose_name = _("履职档案")

    def ready(self) -> None:
        from lvzhi.core import context, demo, exports, home, profiles
        from lvzhi.core.access import register_viewer
        from lvzhi.duties import access, office_views, services
        from lvzhi.duties import demo as duties_demo
        from lvzhi.duties import home as duties_home
        from lvzhi.duties.models import Declaration, Expert

        context.NAV_PROVIDERS.append(duties_home.nav)
        exports.register(exports.ExportKind("duties.year", _("年度履职考核表"),
                                            office_views.export_body,
                                            office_views.build_year_export))
        home.SECTIONS.insert(1, duties_home.section)
        demo.LOADERS.append(duties_demo.load)
        register_viewer(Declaration, lambda user, d: access.declarations_for(user)
                        .filter(pk=d.pk).exists())
        profiles.register(profiles.Provider(
            Expert, lambda expert: expert.member, services.expertise_words))
