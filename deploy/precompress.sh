#!/bin/sh
# Writes a gzip copy next to every text file of a built site, for nginx's gzip_static
# (deploy/nginx/portal.conf): compressed once at image build time at the best level,
# instead of on every request. The originals stay for clients that do not accept gzip.
# Usage: sh deploy/precompress.sh SITE_DIR
set -eu
site="${1:?usage: precompress.sh SITE_DIR}"
[ -d "$site" ] || { echo "precompress.sh: $site is not a directory" >&2; exit 2; }
find "$site" -type f \( -name '*.html' -o -name '*.css' -o -name '*.js' -o -name '*.json' \
    -o -name '*.svg' -o -name '*.xml' -o -name '*.txt' -o -name '*.map' \) \
    -exec gzip -9 -k -f -n {} +
