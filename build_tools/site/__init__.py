"""Stage 3: what the site shows, made from the catalogue (pages, feeds, data, search, cards, contributor tools)."""
