"""Loading: files, records and their metadata become `Document`s in a `Corpus`; bad records are
reported as `Problem`s and skipped. `prepare` loads and cleans in one step."""
