"""What is searchable, and keeping the index in step.

Each app registers its kinds in AppConfig.ready (DESIGN.md: the apps use search, search
uses none of them): how to turn an object into a document, who may see which objects
(the app's own visibility helper), and where an object's page is. Saving or deleting an
object, or a related row that changes its text (a reply of a proposal), updates its entry
inside the same transaction; `lvzhi reindex` rebuilds everything.
"""

from __future__ import annotations

import datetime
import hashlib
import heapq
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction
from django.db.models import BooleanField, F, Model, QuerySet
from django.db.models.expressions import RawSQL
from django.db.models.signals import m2m_changed, post_delete, post_save

from lvzhi.core import plain
from lvzhi.search import fts, segment
from lvzhi.search.keywords import split_keywords  # noqa: F401  (for the kinds)
from lvzhi.search.models import SearchEntry


@dataclass(frozen=True)
class Document:
    body_id: int
    title: str
    texts: list[str]  # everything searchable besides the title
    snippet: str = ""  # the plain text results quote from
    year: int | None = None
    state: str = ""
    happened_at: datetime.datetime | None = None
    session_id: int | None = None
    category: str = ""  # as shown (a label), since kinds have different category lists
    sector_id: int | None = None
    keywords: list[str] = field(default_factory=list)


FIELDS = ("body_id", "title", "text", "terms", "year", "state", "happened_at", "session_id",
          "category", "sector_id", "keywords", "digest")


@dataclass(frozen=True)
class Kind:
    code: str
    label: Any
    model: type[Model]
    document: Callable[[Any], Document | None]  # None: not searchable now (a draft's shell)
    visible: Callable[[Any], QuerySet]  # user -> the objects they may see
    url: Callable[[int, str], str]  # (object id, title) -> its page
    by_number: Callable[[Any, int], str | None] | None = None  # 第N号 -> a page
    rows: Callable[[], QuerySet] | None = None  # for reindex; default all
    related: dict[type[Model], Callable[[Any], Any]] = field(default_factory=dict)
    # The permission by which a person reads all of a body's objects of this kind; one
    # without it sees few (their own, their invitations), scoped in the match.
    reads_all: str = ""
    # The entry's columns the object's own fields give (its state label; for some kinds a
    # number in the snippet, a date): a save of `light_fields` and nothing else writes just
    # those — most writes change a state, a number or a time, and the document's text,
    # replies and filters stand. Nothing is read, nothing segmented.
    light: Callable[[Any], dict[str, Any]] | None = None
    light_fields: frozenset[str] = frozenset({"state"})
    # What the document's happened_at is, for the database to order by (a field's name or
    # an expression): a rebuild writes entries oldest first (reindex).
    time: Any = None


KINDS: dict[str, Kind] = {}


def register(kind: Kind) -> None:
    KINDS[kind.code] = kind
    post_save.connect(_saved, sender=kind.model, weak=False,
                      dispatch_uid=f"search-{kind.code}")
    post_delete.connect(_deleted, sender=kind.model, weak=False,
                        dispatch_uid=f"search-del-{kind.code}")
    for model, parent in kind.related.items():
        saver = _related_saver(kind, parent)
        post_save.connect(saver, sender=model, weak=False,
                          dispatch_uid=f"search-{kind.code}-{model._meta.label}")
        for m2m in model._meta.many_to_many:  # tags set after the row is saved
            m2m_changed.connect(_m2m_saver(saver), sender=m2m.remote_field.through,
                                weak=False, dispatch_uid=f"search-{kind.code}-{m2m}")


def _kind_of(model: type[Model]) -> Kind | None:
    return next((k for k in KINDS.values() if k.model is model), None)


def _saved(sender: type[Model], instance: Model, raw: bool = False,
           update_fields: frozenset[str] | None = None, **kw: Any) -> None:
    kind = _kind_of(sender)
    if kind is None or raw:
        return
    if kind.light and update_fields and update_fields <= kind.light_fields and \
            SearchEntry.objects.filter(kind=kind.code, object_id=instance.pk).update(
                **kind.light(instance)):
        return
    index(kind, instance)


def state_label(obj: Any) -> str:
    """An object's state as its entry shows it (Kind.light, and its document's)."""
    return str(obj.get_state_display())


def state_column(obj: Any) -> dict[str, Any]:
    """Kind.light for kinds whose state is the only column a light save changes."""
    return {"state": state_label(obj)[:40]}


def _deleted(sender: type[Model], instance: Model, **kw: Any) -> None:
    kind = _kind_of(sender)
    if kind:
        SearchEntry.objects.filter(kind=kind.code, object_id=instance.pk).delete()


def _related_saver(kind: Kind, parent: Callable[[Any], Any]) -> Callable[..., None]:
    def saved(sender: Any, instance: Model, raw: bool = False, **kw: Any) -> None:
        obj = None if raw else parent(instance)
        if obj is not None:
            index(kind, obj)
    return saved


def _m2m_saver(saver: Callable[..., None]) -> Callable[..., None]:
    def changed(sender: Any, instance: Model, action: str, reverse: bool, **kw: Any) -> None:
        if action.startswith("post_") and not reverse:
            saver(sender, instance)
    return changed


def _entry(kind: Kind, obj: Any, known: SearchEntry | None = None) -> SearchEntry | None:
    """`obj`'s entry; its terms taken from `known` (the entry as stored) when the text they
    come from is unchanged — jieba takes ~2 ms a thousand characters, a proposal up to nine
    thousand, and most writes only change a state."""
    doc = kind.document(obj)
    if doc is None:
        return None
    hashed = digest(doc)
    terms = known.terms if known is not None and known.digest == hashed else \
        " ".join(segment.document_terms(doc.title, *doc.texts, *doc.keywords))
    return SearchEntry(body_id=doc.body_id, kind=kind.code, object_id=obj.pk,
                       title=doc.title[:200], text=doc.snippet[:4000],
                       terms=terms, year=doc.year, state=doc.state[:40],
                       happened_at=doc.happened_at, session_id=doc.session_id,
                       category=doc.category[:40], sector_id=doc.sector_id,
                       keywords=keyword_field(doc.keywords), digest=hashed)


def digest(doc: Document) -> str:
    """The dictionary's number, then the text a document's terms are segmented from,
    hashed: `prepare` tells from the stored digest alone whether its terms are of this
    dictionary (then they are of the text too: every save indexes)."""
    parts = [doc.title, *doc.texts, "\x1e", *doc.keywords]
    hashed = hashlib.blake2b("\x1f".join(parts).encode(), digest_size=8).hexdigest()
    return f"{_dictionary_code()}:{hashed}"


def _dictionary_code() -> str:
    return f"{int(segment.dictionary_stamp() * 1000):x}"  # a time: 11 hex digits


def keyword_field(words: Iterable[str]) -> str:
    """Keywords as stored: 、a、b、 — so one is found whole with LIKE '%、a、%'."""
    kept = [w.strip() for w in words if w.strip() and "、" not in w.strip()]
    joined = "、".join(dict.fromkeys(kept))
    while len(joined) > 196:
        joined = joined.rsplit("、", 1)[0]
    return f"、{joined}、" if joined else ""


def prepare(model: type[Model], pk: int) -> None:
    """Segment an object's text ahead of a write to it (core.workflow's hook): the write's
    own indexing, inside its transaction, then finds the terms remembered. Nothing to do —
    one indexed read — when its entry's terms were cut with this dictionary: every save
    indexes, so they are of the text it has now (most writes change only a state)."""
    kind = _kind_of(model)
    if kind is None:
        return
    known = SearchEntry.objects.filter(kind=kind.code, object_id=pk)\
        .values_list("digest", flat=True).first()
    if known and known.startswith(f"{_dictionary_code()}:"):
        return
    rows = kind.rows() if kind.rows else kind.model.objects.all()
    warm(rows.filter(pk=pk).first(), known=known)


def warm(obj: Any, known: str | None = None) -> None:
    """Segment what `obj`'s entry would hold, without writing it (an object as it will be
    saved: a draft's edit before its transaction), unless its digest is `known`."""
    kind = _kind_of(type(obj))
    document = kind.document(obj) if kind is not None else None
    if document is not None and digest(document) != known:
        segment.document_terms(document.title, *document.texts, *document.keywords)


def index(kind: Kind, obj: Any) -> None:
    """Put one object's entry in step with it (or take it out when it has no document)."""
    # A plain read: every write of a searchable object asks this inside its transaction.
    current = next(iter(plain.rows(SearchEntry, kind=kind.code, object_id=obj.pk, order=())),
                   None)
    entry = _entry(kind, obj, known=current)
    if entry is None:
        if current is not None:
            current.delete()
        return
    if current is None:
        entry.save()
        return
    changed = [f for f in FIELDS if getattr(current, f) != getattr(entry, f)]
    if changed:  # most saves change no searchable text: no write, no FTS churn
        for f in changed:
            setattr(current, f, getattr(entry, f))
        current.save(update_fields=changed)


def reindex(codes: Iterable[str] | None = None, batch: int = 500) -> int:
    """Rebuild the entries of the given kinds (all by default) from their objects. The
    kinds are written together, oldest first (each kind's objects ordered by its `time`,
    the kinds merged): an entry's id is its place in time, which the search's
    window of newest matches counts on (fts.newest_ranked). Kinds rebuilt alone come after
    every other, as if new, until the next whole rebuild."""
    codes = list(codes or KINDS)
    done = 0
    with transaction.atomic():
        SearchEntry.objects.filter(kind__in=codes).delete()
        pending: list[SearchEntry] = []
        for entry in heapq.merge(*(_entries(KINDS[code], batch) for code in codes),
                                 key=_time):
            pending.append(entry)
            if len(pending) >= batch:
                SearchEntry.objects.bulk_create(pending)
                done += len(pending)
                pending = []
        SearchEntry.objects.bulk_create(pending)
        done += len(pending)
    with connection.cursor() as cursor:
        # The table was rewritten: its statistics now, not when autovacuum comes by — on
        # PostgreSQL the similar-proposal match planned without them took 43 ms, not 14.
        cursor.execute("ANALYZE search_searchentry")
    return done


def _entries(kind: Kind, batch: int) -> Iterator[SearchEntry]:
    rows = kind.rows() if kind.rows else kind.model.objects.all()
    time = F(kind.time) if isinstance(kind.time, str) else kind.time
    order = [] if time is None else [time.asc(nulls_first=True)]
    for obj in rows.order_by(*order, "pk").iterator(chunk_size=batch):
        entry = _entry(kind, obj)
        if entry is not None:
            yield entry


EARLIEST = datetime.datetime.min.replace(tzinfo=datetime.UTC)


def _time(entry: SearchEntry) -> datetime.datetime:
    return entry.happened_at or EARLIEST  # timeless (a person's entry): among the oldest


def terms_of(kind: str, body_id: int, object_ids: Iterable[int] | None = None
             ) -> dict[int, str]:
    """The indexed (segmented) text of a body's objects of a kind: {object id: terms}."""
    rows = SearchEntry.objects.filter(kind=kind, body_id=body_id)
    if object_ids is not None:
        rows = rows.filter(object_id__in=list(object_ids))
    return dict(rows.values_list("object_id", "terms").iterator(chunk_size=2000))


def matching(kind: str, query: str) -> RawSQL | None:
    """For `pk__in`: the objects of `kind` whose text holds every word of `query`, from the
    full-text index (no scan of the objects' own table); None if the query has no words."""
    terms = segment.query_terms(query)
    if not terms:
        return None
    return RawSQL(*fts.ids_sql(terms, kind))


def holding(kind: str, query: str) -> RawSQL | None:
    """For `filter()`: the same, asked of each row as a list is walked in its own order —
    for a page (it stops at thirty), not for a count or a file (fts.holds_sql)."""
    terms = segment.query_terms(query)
    if not terms:
        return None
    model = KINDS[kind].model
    pk = f'"{model._meta.db_table}"."{model._meta.pk.column}"'
    return RawSQL(*fts.holds_sql(terms, kind, pk), output_field=BooleanField())
