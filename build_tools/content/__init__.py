"""Stage 2: the content read from disk, checked against the rules, and modelled (profiles, plans, catalogue)."""
