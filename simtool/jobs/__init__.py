"""The jobs: each a plain function over a corpus (and vectors) returning a result that knows
its JSON shape. `related`, `compare`, `dedup/`, `cluster/`, `drift/`, and `analyze` over them all.
A job that has a distributed path keeps it beside its local one (`dedup/ray.py`, `cluster/ray.py`)."""
