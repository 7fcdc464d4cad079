"""Generator for the exemplars site: load and validate → model → catalogue → pages, feeds, data → write."""
