"""Project hooks of the support portal.

``portal.py`` is the one file mkdocs.yml names; it loads this package from its own checkout
and hands every MkDocs event to ``build.Build``, which runs the concerns in dependency order.
Each sub-package is one concern: a thin ``hook.py`` class of ``on_*`` events over pure
functions that the tests call directly.

- ``settings``: the ``extra.portal`` settings, validated with MkDocs' config options
- ``metadata``: front matter validated against a schema
- ``dates``: each page's "Last Updated" date, from one git process for the whole tree
- ``review``: next review date and overdue pages (needs ``dates``)
- ``facts``: ``{{ facts.x.y }}`` and ``{{ page.x }}`` references resolved from ``data/facts.yml``,
  and the alert rules and their tests rendered from it (``derived``) checked against it
- ``articles``: the knowledge base's articles in nav and in its index, from their front matter
- ``runbooks``: runbooks and alert sections open with "First five minutes" (needs ``facts``)
- ``policy``: data/policy.yml rendered into pages and held against their prose (needs ``facts``)
- ``background``: the checks that read only a page's text, run beside MkDocs' rendering
- ``codeblocks``: every fenced block parsed, commands and SQL checked, secrets refused
- ``status``: the generated Page Status page, every page with owner and review dates (needs ``dates``, ``review``)
- ``cards``: the header card of each runbook and alert section, linked to the deployment's tools
- ``reading``: each page's HTML made for phones and paper (destructive lines marked, placeholders whole)
- ``offline``: instant navigation off in the offline build
- ``links``: every internal link, anchor, nav fragment and redirect checked against the rendered ids
- ``published``: every address the published branch serves keeps a page or a redirect
- ``report``: how every concern reports a problem, and the strict-mode gate
"""
