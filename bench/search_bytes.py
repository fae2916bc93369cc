#!/usr/bin/env python3
"""What a reader downloads for one search: serves a built site over HTTP, opens its search page
with a query in headless Chromium, and lists every file the browser fetched, with its size.

    python3 bench/search_bytes.py public "sanctions"
    python3 bench/search_bytes.py /tmp/out "peskov" --chromium /usr/bin/chromium

Sizes are the files' bytes as served, without HTTP compression: Pagefind's index files are
gzipped already; the page, stylesheet and scripts would shrink further on a server that
compresses them. The browser starts with an empty cache, so this is a first search; later ones
reuse the script, WebAssembly and the index's metadata.
"""

import argparse
import functools
import http.server
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import urllib.parse

fetched = []
lock = threading.Lock()


class Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".js": "text/javascript",
        ".pagefind": "application/octet-stream",
        ".pf_meta": "application/octet-stream",
        ".pf_index": "application/octet-stream",
        ".pf_fragment": "application/octet-stream",
        ".pf_filter": "application/octet-stream",
    }

    def do_GET(self):
        path = urllib.parse.unquote(urllib.parse.urlsplit(self.path).path)
        local = self.translate_path(self.path)
        if os.path.isdir(local):
            local = os.path.join(local, "index.html")
        if os.path.isfile(local):
            with lock:
                fetched.append((path, os.path.getsize(local)))
        super().do_GET()

    def log_message(self, *args):
        pass


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", help="a built site (briefing build's output folder)")
    parser.add_argument("query")
    parser.add_argument("--chromium", default=shutil.which("chromium") or "chromium")
    parser.add_argument("--wait-ms", type=int, default=20000, help="virtual time to let the page run")
    args = parser.parse_args()

    handler = functools.partial(Handler, directory=args.site)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = "http://127.0.0.1:%d/search/index.html?q=%s" % (
        server.server_address[1],
        urllib.parse.quote(args.query),
    )
    with tempfile.TemporaryDirectory() as profile:
        dom = subprocess.run(
            [
                args.chromium,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--user-data-dir=" + profile,
                "--virtual-time-budget=%d" % args.wait_ms,
                "--dump-dom",
                url,
            ],
            capture_output=True,
            text=True,
            timeout=120,
        ).stdout
    server.shutdown()

    results = dom.count('class="search-result"')
    total = sum(size for _, size in fetched)
    index = sum(size for path, size in fetched if "/pagefind/" in path)
    print("query %r on %s: %d requests, %s bytes (%s of them Pagefind's)" % (
        args.query, args.site, len(fetched), f"{total:,}", f"{index:,}"))
    print("results shown: %d" % results)
    kinds = {}
    for path, size in fetched:
        name = path.rsplit("/", 1)[-1]
        kind = (
            "fragment" if path.endswith(".pf_fragment")
            else "index shard" if path.endswith(".pf_index")
            else "filter" if path.endswith(".pf_filter")
            else name
        )
        count, bytes_ = kinds.get(kind, (0, 0))
        kinds[kind] = (count + 1, bytes_ + size)
    for kind, (count, size) in sorted(kinds.items(), key=lambda kv: -kv[1][1]):
        print("  %10s  %3d × %s" % (f"{size:,}", count, kind))
    if results == 0:
        print("no results were shown: is the query in the index, and did the page load?", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
