"""Stage 5: everything that knows MkDocs (the plugin, theme shells, rendering, `exemplars serve`)."""
