"""The portal's search: Material's search box and result list over an index prepared at build time.

``analysis`` turns text into index terms (one stemmer, at build time only), ``index`` scores
every section and splits the index into chunks a reader's browser fetches per query,
``worker.js`` answers Material's search messages from those chunks, ``hook`` wires it into the
build.
"""
