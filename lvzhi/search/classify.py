"""Learning where a text goes from where earlier texts went (which unit handles a proposal):
a linear model over TF-IDF features of the segmented terms, with scikit-learn.

Why this model: a linear SVM over TF-IDF is the standard strong baseline for topic
classification with a few hundred classes and tens of thousands of short documents; it
trains in seconds on 20,000 proposals, ranks in well under a millisecond, and its file is a
few MB. docs/search.md has its precision on the benchmark data.

The model of each body is one file in the default storage (shared by every host like
uploads), named by the caller; each process keeps the file it last read and reads it again
when the file is newer.
"""

from __future__ import annotations

import io
import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

if TYPE_CHECKING:  # imported when first used: a web process that never ranks never loads it
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.svm import LinearSVC

FOLDER = "models"


def _terms(text: str) -> list[str]:
    """The texts are already segmented (search/segment.py): terms between spaces."""
    return text.split()


@dataclass
class Ranker:
    vectorizer: TfidfVectorizer
    model: LinearSVC | None  # None: only one label was ever seen
    labels: list[int]
    examples: int
    trained_at: Any = field(default_factory=timezone.now)

    def rank(self, text: str, top: int = 3) -> list[tuple[int, float]]:
        """The `top` labels for a segmented text, best first, with a score in 0–1 (how far
        ahead of the rest: not a probability)."""
        if self.model is None:
            return [(self.labels[0], 1.0)][:top]
        scores = self.model.decision_function(self.vectorizer.transform([text]))[0]
        order = scores.argsort()[::-1][:top]
        low, high = float(scores.min()), float(scores.max())
        span = (high - low) or 1.0
        return [(int(self.model.classes_[i]), round((float(scores[i]) - low) / span, 2))
                for i in order]


def train(texts: list[str], labels: list[int]) -> Ranker:
    """A ranker from segmented texts and the label each went to (a text that went to two
    places comes twice)."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.svm import LinearSVC

    vectorizer = TfidfVectorizer(analyzer=_terms, sublinear_tf=True, min_df=2,
                                 max_features=60_000)
    features = vectorizer.fit_transform(texts)
    distinct = sorted(set(labels))
    model = None
    if len(distinct) > 1:
        model = LinearSVC(C=0.5).fit(features, labels)
    return Ranker(vectorizer, model, distinct, len(texts))


_cache: dict[str, tuple[float, Ranker | None]] = {}
_lock = threading.Lock()


def save(name: str, ranker: Ranker) -> None:
    import joblib

    buffer = io.BytesIO()
    joblib.dump(ranker, buffer, compress=3)
    path = f"{FOLDER}/{name}.joblib"
    with _lock:
        if default_storage.exists(path):
            default_storage.delete(path)
        default_storage.save(path, ContentFile(buffer.getvalue()))
        _cache.pop(name, None)


def load(name: str) -> Ranker | None:
    """The ranker saved under `name`, or None if there is none (yet)."""
    path = f"{FOLDER}/{name}.joblib"
    try:
        stamp = default_storage.get_modified_time(path).timestamp()
    except (FileNotFoundError, OSError):
        return None
    cached = _cache.get(name)
    if cached and cached[0] == stamp:
        return cached[1]
    import joblib

    # Only this module writes under models/ (uploads are named by the attachment code).
    with default_storage.open(path, "rb") as f:
        ranker = joblib.load(f)
    _cache[name] = (stamp, ranker)
    return ranker


def trained_at(name: str) -> Any:
    """When the file under `name` was written, or None."""
    try:
        return default_storage.get_modified_time(f"{FOLDER}/{name}.joblib")
    except (FileNotFoundError, OSError):
        return None
