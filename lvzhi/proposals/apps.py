from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProposalsConfig(AppConfig):
    name = "lvzhi.proposals"
    verbose_name = _("提案")

    def ready(self) -> None:
        from lvzhi.core import context, demo, exports, home
        from lvzhi.core.access import register_viewer
        from lvzhi.proposals import access, body_figures, ledger, searchable
        from lvzhi.proposals import demo as proposal_demo
        from lvzhi.proposals import home as proposal_home
        from lvzhi.proposals.models import Proposal, Reply

        searchable.register()
        from lvzhi.core.jinja import register_filter
        from lvzhi.proposals.templatetags.proposal_tags import proposal_state
        register_filter("proposal_state", proposal_state)
        body_figures.register()
        exports.register(ledger.EXPORT)
        context.NAV_PROVIDERS.append(proposal_home.nav)
        demo.LOADERS.append(proposal_demo.load)
        home.SECTIONS.insert(1, proposal_home.section)
        register_viewer(Proposal, lambda user, p: access.proposals_for(user)
                        .filter(pk=p.pk).exists())
        register_viewer(Reply, access.may_view_reply)
        _register_fact_kinds()
        from lvzhi.duties.services import BACKFILLS
        from lvzhi.proposals.facts import backfill_facts
        BACKFILLS.append(backfill_facts)


def _register_fact_kinds() -> None:
    from lvzhi.duties import kinds

    for code, label in (("proposal_submitted", _("提交提案")),
                        ("proposal_filed", _("提案立案（领衔）")),
                        ("proposal_cosigned", _("提案立案（联名）")),
                        ("proposal_merged", _("提案并案")),
                        ("proposal_key", _("重点提案")),
                        ("proposal_excellent", _("优秀提案"))):
        kinds.register(code, label, "proposals")
