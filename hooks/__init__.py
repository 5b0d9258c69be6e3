"""Project hooks of the support portal.

Each sub-package is one concern: a thin ``hook.py`` of MkDocs ``on_*`` events over pure
functions that the tests call directly.

- ``metadata``: front matter validated against a schema
- ``dates``: each page's "Last Updated" date, from one git process for the whole tree
- ``review``: next review date and overdue pages
- ``facts``: ``{{ facts.x.y }}`` and ``{{ page.x }}`` references resolved from ``data/facts.yml``
- ``links``: every internal link, anchor, nav fragment and redirect checked against the rendered ids
- ``report``: how every hook reports a problem, and the strict-mode gate
"""
