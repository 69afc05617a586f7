from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "lvzhi.search"
    verbose_name = _("检索")

    def ready(self) -> None:
        from lvzhi.core import demo, workflow
        from lvzhi.search import index, people

        people.register()
        workflow.BEFORE_TRANSACTION.append(index.prepare)
        _watch_dictionary()
        # The demo loaders create rows in bulk, past the signals: index once at the end.
        demo.AFTER.append(index.reindex)


def _watch_dictionary() -> None:
    """Names the segmenter keeps whole: when one changes, every process reloads them."""
    from django.db.models.signals import post_delete, post_save

    from lvzhi.core.models import Department, HandlingUnit, Sector, SpecialCommittee
    from lvzhi.search import segment
    from lvzhi.search.models import SearchTerm

    def changed(**kwargs: object) -> None:
        segment.dictionary_changed()

    for model in (SearchTerm, Sector, HandlingUnit, SpecialCommittee, Department):
        post_save.connect(changed, sender=model, weak=False, dispatch_uid=f"dict-{model}")
        post_delete.connect(changed, sender=model, weak=False, dispatch_uid=f"dict-d-{model}")
