"""Stage 1 of the flow, used by every other: how work is shared among processes and lands on disk."""
