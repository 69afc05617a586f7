"""Keywords of a proposal or a report: extracted on save when none are typed (jieba's
TF-IDF over the body dictionary), tidied when typed, stored as 居家养老、护理人员."""

from __future__ import annotations

import functools
import re

import jieba.analyse
from django.utils.translation import gettext as _

from lvzhi.core.errors import Refusal
from lvzhi.search import segment

LIMIT = 100  # characters of the keywords field
# Nouns and names only: a keyword names a matter (居家养老), not an act (办好).
NOUNS = ("n", "nr", "ns", "nt", "nz", "vn", "l", "i", "j", "eng")

# Words every proposal uses; never a keyword of one.
PLAIN = frozenset({
    "建议", "问题", "工作", "推进", "加强", "发展", "提升", "相关", "部门", "政府", "全市",
    "目前", "存在", "进行", "实施", "推动", "完善", "情况", "方面", "措施", "提高", "需要",
    "开展", "解决", "落实", "加大", "力度", "机制", "体系", "群众", "有效", "建立", "不断",
    "逐步", "积极", "主要", "通过", "部分", "工作者", "现状", "分析", "一是", "二是", "三是",
    "建设", "高质量", "服务", "管理", "强化", "健全", "优化", "促进"})


def keywords(title: str, *texts: str, top: int = 5) -> list[str]:
    """The `top` most telling words of a text (jieba's TF-IDF with the body dictionary
    loaded); the title counts twice, as it names the matter."""
    segment.ensure_dictionary()
    return list(_keywords(segment.dictionary_version(), top, title, *texts))


@functools.lru_cache(maxsize=48)  # as segment's: extracted before the write lock, then here
def _keywords(version: float, top: int, title: str, *texts: str) -> tuple[str, ...]:
    text = "\n".join([title, title, *texts])
    found = jieba.analyse.extract_tags(text, topK=top * 3, allowPOS=NOUNS)
    return tuple(w for w in found if segment.keep(w) and w not in PLAIN and len(w) > 1
                 and not w.isdigit())[:top]


def keyword_text(title: str, *texts: str, limit: int = LIMIT) -> str:
    """Keywords for a keywords field: 居家养老、社区养老、护理人员, within `limit` characters."""
    words = keywords(title, *texts)
    while words and len("、".join(words)) > limit:
        words.pop()
    return "、".join(words)


def split_keywords(text: str) -> list[str]:
    """A keywords field as typed (、，, or spaces between) or as stored, as a list."""
    return [w for w in re.split(r"[、，,；;\s]+", text or "") if w]


def typed_keywords(text: str, limit: int = LIMIT) -> str | None:
    """Keywords as typed, tidied to 居家养老、护理人员; None when longer than `limit`."""
    joined = "、".join(dict.fromkeys(split_keywords(text)))
    return joined if len(joined) <= limit else None


def for_field(typed: str, title: str, *texts: str) -> str:
    """The keywords field's value: what was typed, tidied, or, if nothing was, extracted
    from the text. Refuses keywords longer than the field."""
    tidy = typed_keywords(typed)
    if tidy is None:
        message = _("关键词不能超过 %(n)s 字。") % {"n": LIMIT}
        raise Refusal("keywords_too_long", message, fields={"keywords": message})
    return tidy or keyword_text(title, *texts)
