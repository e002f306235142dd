"""Vectors: encoding through the content-addressed cache (`embed`, `store`), where batches are
encoded (`engine`), Parquet shards, the ANN index, similarity maths and 2-D projection."""
