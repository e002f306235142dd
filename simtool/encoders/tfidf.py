"""TF-IDF over the corpus itself (scikit-learn), as sparse L2-normalised rows."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer

from simtool.encoders.base import check_texts


class TfidfEncoder:
    """Word unigrams and bigrams, sublinear tf, English stop words out.

    Fitted on the corpus it encodes (`fit`, or on first `encode`), so its vectors are never
    cached: they change with the corpus.
    """

    def __init__(self, max_features: int | None = 200_000, min_df: int = 1,
                 ngram_range: tuple[int, int] = (1, 2)) -> None:
        self.name = "tfidf"
        self.max_features = max_features
        self.min_df = min_df
        self.ngram_range = ngram_range
        self.vectorizer_: TfidfVectorizer | None = None

    @property
    def identity(self) -> None:
        return None

    @property
    def dim(self) -> int:
        return len(self.vectorizer_.vocabulary_) if self.vectorizer_ is not None else 0

    def fit(self, texts: Sequence[str]) -> TfidfEncoder:
        texts = check_texts(texts)
        self.vectorizer_ = TfidfVectorizer(
            sublinear_tf=True, stop_words="english", ngram_range=self.ngram_range,
            min_df=self.min_df, max_features=self.max_features, dtype=np.float32,
        )
        try:
            self.vectorizer_.fit(texts)
        except ValueError:  # every text empty or only stop words: fall back to all tokens
            self.vectorizer_ = TfidfVectorizer(sublinear_tf=True, dtype=np.float32,
                                               token_pattern=r"(?u)\b\w+\b")
            self.vectorizer_.fit([t or " " for t in texts] + ["_"])
        return self

    def encode(self, texts: Sequence[str]) -> sp.csr_matrix:
        texts = check_texts(texts)
        if self.vectorizer_ is None:
            self.fit(texts)
        return self.vectorizer_.transform(texts).astype(np.float32).tocsr()

    def terms(self) -> np.ndarray:
        """The vocabulary, in column order."""
        return self.vectorizer_.get_feature_names_out()
