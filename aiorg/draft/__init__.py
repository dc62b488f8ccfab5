"""Draft candidate facts from a news article (Chinese in either script, or English) for review.

`aiorg.draft.build.draft` is the entry point; `aiorg.draft.output` writes the candidates as
the knowledge base's YAML (each marked `review: pending`) or as JSON. The libraries it needs
come with the `draft` extra and are imported only when a draft is made (see `deps`).
"""
