"""Benchmarking embedding models on standard tasks and on the user's own corpus.

`runner.run_benchmark` scores models on tasks; `results` turns a run into JSON and a table;
`plot` draws quality against speed. Nothing is imported here, so the speed worker that loads
`speed` starts without the rest (its load time then counts a model's own imports).
"""
