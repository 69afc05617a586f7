from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "lvzhi.activities"
    verbose_name = _("协商议政")

    def ready(self) -> None:
        from lvzhi.activities import access, body_figures, searchable
        from lvzhi.activities import demo as activity_demo
        from lvzhi.activities import home as activity_home
        from lvzhi.activities import links as activity_links
        from lvzhi.activities.models import Activity, Outcome
        from lvzhi.core import context, demo, home
        from lvzhi.core.access import register_viewer

        searchable.register()
        body_figures.register()
        activity_links.register()
        context.NAV_PROVIDERS.append(activity_home.nav)
        home.SECTIONS.insert(1, activity_home.section)
        demo.LOADERS.append(activity_demo.load)
        demo.AFTER.append(activity_demo.group_visit)
        register_viewer(Activity, lambda user, a: access.activities_for(user)
                        .filter(pk=a.pk).exists())
        register_viewer(Outcome, lambda user, o: access.activities_for(user)
                        .filter(pk=o.activity_id).exists())
        _register_fact_kinds()
        from lvzhi.activities.facts import backfill_facts
        from lvzhi.duties.services import BACKFILLS
        BACKFILLS.append(backfill_facts)


MEETINGS = {"plenary", "standing", "chairs", "committee"}


def _register_fact_kinds() -> None:
    """Each kind of activity by each attendance outcome, and each kind of outcome."""
    from django.utils.text import format_lazy

    from lvzhi.activities.models import Invitation, Kind, Outcome
    from lvzhi.duties import kinds

    for kind, kind_label in Kind.choices:
        category = "meetings" if kind in MEETINGS else "activities"
        for attendance, attendance_label in Invitation.Attendance.choices:
            kinds.register(f"activity_{kind}_{attendance}",
                           format_lazy("{}·{}", kind_label, attendance_label), category)
    kinds.register("activity_invited", _("受邀参加活动"), "activities")
    for kind, kind_label in Outcome.OutcomeKind.choices:
        kinds.register(f"outcome_{kind}", kind_label, "outcomes")
