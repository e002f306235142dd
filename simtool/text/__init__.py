"""Text: words, sentences and shingles (`basics`), boilerplate cleaning (`clean`), shingle hashes
and their overlaps (`shingling`), and sentence diffs (`sentence_diff`). Depends on nothing else
in simtool but errors."""
