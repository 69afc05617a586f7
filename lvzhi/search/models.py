"""The search index: one row per searchable object, its text segmented into terms.

SQLite keeps an FTS5 table over `terms` (external content, kept in step by triggers);
PostgreSQL a GIN index over to_tsvector('simple', terms). Both see the same terms (see
segment.py); migrations create whichever the database needs.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from lvzhi.core.models.org import BodyScoped


class SearchEntry(BodyScoped):
    kind = models.CharField(_("类别"), max_length=20)
    object_id = models.PositiveBigIntegerField()
    title = models.CharField(_("标题"), max_length=200)
    text = models.TextField(_("摘要来源"), blank=True)  # plain text the snippets come from
    terms = models.TextField(_("检索词"))
    year = models.PositiveSmallIntegerField(_("年度"), null=True, blank=True)
    state = models.CharField(_("状态"), max_length=40, blank=True)
    happened_at = models.DateTimeField(_("时间"), null=True, blank=True)  # recency tie-break
    # Filters besides kind and year; what a kind has not, it leaves empty.
    session = models.ForeignKey("core.Session", verbose_name=_("届次会议"), null=True,
                                blank=True, on_delete=models.SET_NULL, related_name="+")
    category = models.CharField(_("分类"), max_length=40, blank=True)
    sector = models.ForeignKey("core.Sector", verbose_name=_("界别"), null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+")
    keywords = models.CharField(_("关键词"), max_length=200, blank=True)  # "、a、b、"
    # What `terms` were segmented from, hashed (search.index.digest): a save that leaves
    # the text alone (most are state changes) keeps them without segmenting it again.
    digest = models.CharField(_("文本摘要值"), max_length=32, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "object_id"],
                                               name="indexed_once")]
        indexes = [
            models.Index(fields=["body", "kind", "year"], name="search_filters"),
            # A full-text match's entry without its wide row: on SQLite the columns after
            # `text` and `terms` sit on the overflow pages those fill, read page by page
            # for every match a filter, the scope or the order looks at. Everything the
            # match filters, orders and counts by (fts.py names it on SQLite).
            models.Index(fields=["id", "kind", "object_id", "body", "year", "session", "state",
                                 "category", "sector", "happened_at", "keywords"],
                         name="search_match"),
        ]
        verbose_name = _("检索条目")
        verbose_name_plural = _("检索条目")

    def __str__(self) -> str:
        return self.title


class SearchTerm(BodyScoped):
    """A word the body's users search for that the segmenter should keep whole (a place, a
    programme, a local name)."""

    word = models.CharField(_("词语"), max_length=30)

    class Meta:
        ordering = ["body", "word"]
        constraints = [models.UniqueConstraint(fields=["body", "word"], name="term_once")]
        verbose_name = _("检索词典")
        verbose_name_plural = _("检索词典")

    def __str__(self) -> str:
        return self.word
