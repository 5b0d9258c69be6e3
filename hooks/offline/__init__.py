"""The copy opened from disk (``OFFLINE=true mkdocs build``) works like the served site."""
