from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProposalsConfig(AppConfig):
    name = "lvzhi.proposals"
    verbose_name = _("提案")

    def ready(self) -> None:
        from lvzhi.core import context, demo, home
        from lvzhi.core.access import register_viewer
        from lvzhi.proposals import access
        from lvzhi.proposals import demo as proposal_demo
        from lvzhi.proposals import home as proposal_home
        from lvzhi.proposals.models import Proposal, Reply

        context.NAV_PROVIDERS.append(proposal_home.nav)
        demo.LOADERS.append(proposal_demo.load)
        home.SECTIONS.insert(1, proposal_home.section)
        register_viewer(Proposal, lambda user, p: access.proposals_for(user)
                        .filter(pk=p.pk).exists())
        register_viewer(Reply, access.may_view_reply)
