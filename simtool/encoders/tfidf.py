"""TF-IDF over the corpus itself (scikit-learn): sparse rows, or reduced by TruncatedSVD (LSA)."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import scipy.sparse as sp

from simtool.encoders.base import check_texts
from simtool.text.basics import text_hash

if TYPE_CHECKING:
    from sklearn.feature_extraction.text import TfidfVectorizer


class TfidfEncoder:
    """Word unigrams, sublinear tf, every word kept.

    Measured against scikit-learn's plain TfidfVectorizer on the same texts (`simtool bench`
    prints both): bigrams cost 2.4 Spearman points on STS-B dev (73.9 vs 76.3 unigrams) and 3
    AP points on MSRP, as a pair of short texts rarely shares a bigram and each adds to the
    norm; taking stop words out costs MSRP 0.9 AP ("not" and "only" carry a paraphrase's
    meaning). Unigrams with sublinear tf and every word: STS-B dev 75.65 (plain 75.53), MSRP AP
    85.15 (plain 85.07), BBC KMeans NMI as before. The terms shown to a reader leave stop words out
    (`simtool.vectors.similarity.shared_terms`).

    Fitted on the corpus it encodes (`fit`, or on first `encode`), so its vectors are never
    cached: they change with the corpus.
    """

    def __init__(self, max_features: int | None = 200_000, min_df: int = 1, max_df: float = 1.0,
                 ngram_range: tuple[int, int] = (1, 1), stop_words: str | None = None) -> None:
        self.name = "tfidf"
        self.max_features = max_features
        self.min_df = min_df
        self.max_df = max_df
        self.ngram_range = ngram_range
        self.stop_words = stop_words
        self.vectorizer_: TfidfVectorizer | None = None

    @property
    def identity(self) -> None:
        return None

    @property
    def dim(self) -> int:
        return len(self.vectorizer_.vocabulary_) if self.vectorizer_ is not None else 0

    def fit(self, texts: Sequence[str]) -> TfidfEncoder:
        from sklearn.feature_extraction.text import TfidfVectorizer  # here: importing simtool stays light

        texts = check_texts(texts)
        self.vectorizer_ = TfidfVectorizer(
            sublinear_tf=True, ngram_range=self.ngram_range, stop_words=self.stop_words,
            min_df=self.min_df, max_df=self.max_df, max_features=self.max_features, dtype=np.float32,
        )
        try:
            self.vectorizer_.fit(texts)
        except ValueError:  # no text has a word of two letters: fall back to every token
            self.vectorizer_ = TfidfVectorizer(sublinear_tf=True, dtype=np.float32,
                                               token_pattern=r"(?u)\b\w+\b")
            self.vectorizer_.fit([t or " " for t in texts] + ["_"])
        return self

    def encode(self, texts: Sequence[str]) -> sp.csr_matrix:
        texts = check_texts(texts)
        vectorizer = self.vectorizer_ if self.vectorizer_ is not None else self.fit(texts).vectorizer_
        assert vectorizer is not None  # fit() sets it
        return vectorizer.transform(texts).astype(np.float32).tocsr()

    def terms(self) -> np.ndarray:
        """The vocabulary, in column order."""
        if self.vectorizer_ is None:
            raise ValueError("the TF-IDF encoder is not fitted yet: call fit() or encode() first")
        return self.vectorizer_.get_feature_names_out()


class LsaEncoder:
    """TF-IDF (unigrams and bigrams, sublinear) reduced by TruncatedSVD, rows L2-normalised.

    Latent semantic analysis: dense, `dimensions` wide, fitted on the texts it encodes (one
    call is one corpus), so cached only under `fitted_identity`, which names those texts. Terms in one document only, or in over half of them,
    are left out once there are 50 texts: they cannot link documents and crowd the components.
    """

    def __init__(self, dimensions: int = 100, seed: int = 0) -> None:
        self.name = "tfidf-svd"
        self.dimensions = dimensions
        self.seed = seed
        self.dim = dimensions

    @property
    def identity(self) -> None:
        return None

    def fitted_identity(self, texts: Sequence[str]) -> str:
        """The cache key of this encoder fitted on exactly `texts` (in any order: the fit is the same)."""
        digest = hashlib.sha256()
        for key in sorted(text_hash(text) for text in texts):
            digest.update(key)
        return f"lsa/v2/dims={self.dimensions}/seed={self.seed}/corpus={digest.hexdigest()[:32]}"

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        from sklearn.decomposition import TruncatedSVD
        from sklearn.preprocessing import normalize

        texts = check_texts(texts)
        many = len(texts) >= 50
        # Bigrams and no stop words here: topics, unlike pairs of sentences, are told apart by
        # phrases ("interest rate"), and clustering was measured so (docs/benchmarks.md).
        matrix = TfidfEncoder(max_features=None, min_df=2 if many else 1, max_df=0.5 if many else 1.0,
                              ngram_range=(1, 2), stop_words="english").encode(texts)
        dimensions = min(self.dimensions, matrix.shape[1] - 1, len(texts) - 1)
        if dimensions < 2:
            return normalize(matrix.toarray()).astype(np.float32)
        # Fitted on the rows in the order of their texts' hashes: the randomised SVD's components
        # depend on row order (BBC's 600 first articles, shuffled, moved cosines by up to 0.36),
        # and the same texts must give the same vectors whatever order the files list them in.
        order = sorted(range(len(texts)), key=lambda row: text_hash(texts[row]))
        svd = TruncatedSVD(dimensions, random_state=self.seed).fit(matrix[order])
        return normalize(svd.transform(matrix)).astype(np.float32)
