"""A 2-D map of document vectors: UMAP when umap-learn is installed, else PCA."""

from __future__ import annotations

import importlib.util
import warnings
from dataclasses import dataclass

import numpy as np

UMAP_NEIGHBOURS = 15
MAP_METHODS = ("auto", "umap", "pca")


@dataclass(frozen=True)
class Projection:
    """One (x, y) per document, scaled to [0, 1], and the method that made them."""

    method: str
    xy: np.ndarray


def project_2d(vectors: np.ndarray, seed: int = 0, method: str = "auto") -> Projection:
    """Documents placed in 2-D so that close vectors land close; deterministic for a seed.

    method: "umap", "pca" or "auto" (UMAP if installed and there are enough documents).
    """
    vectors = np.asarray(vectors.toarray() if hasattr(vectors, "toarray") else vectors, dtype=np.float32)
    n = vectors.shape[0]
    if method not in MAP_METHODS:
        raise ValueError(f"method must be one of {', '.join(MAP_METHODS)}; got {method!r}")
    if method == "auto":
        method = "umap" if n > UMAP_NEIGHBOURS + 1 and importlib.util.find_spec("umap") else "pca"
    if n < 3:
        xy = np.zeros((n, 2), np.float32) if n < 2 else np.array([[0.0, 0.5], [1.0, 0.5]], np.float32)
        return Projection("none", xy)
    if method == "umap":
        import umap  # optional: `pip install simtool[umap]`

        with warnings.catch_warnings():  # "n_jobs overridden by random_state": single-threaded is the point
            warnings.simplefilter("ignore")
            xy = umap.UMAP(n_neighbors=min(UMAP_NEIGHBOURS, n - 1), min_dist=0.1, metric="cosine",
                           random_state=seed).fit_transform(vectors)
    else:
        from sklearn.decomposition import PCA

        xy = PCA(n_components=2, random_state=seed).fit_transform(vectors)
    xy = np.asarray(xy, dtype=np.float32)
    # Scaled to the points' range, but no further than 3 interquartile ranges past the quartiles:
    # one far outlier then sits on the edge instead of squeezing everyone else into a corner.
    q1, q3 = np.percentile(xy, 25, axis=0), np.percentile(xy, 75, axis=0)
    low = np.maximum(xy.min(axis=0), q1 - 3 * (q3 - q1))
    high = np.minimum(xy.max(axis=0), q3 + 3 * (q3 - q1))
    span = np.where(high - low > 0, high - low, 1.0)
    return Projection(method, np.clip((xy - low) / span, 0.0, 1.0).astype(np.float32))
