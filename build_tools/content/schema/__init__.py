"""The rules content must follow, read in this order (each module imports only those before it, as
tests/test_layout.py checks):

`vocabulary` (the ids a profile may name) → `checks` (what every rule shares: Issue, Context, text and dates) →
`keys` (one rule per profile key: its text for contributors beside its check) → `profile` (a whole profile) →
`shape` (the declarative shape of a YAML file) → `plan` and `taxonomies` (plans, fields, provinces) → `builders`
(checked data → the model's dataclasses).
"""
