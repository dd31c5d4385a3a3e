#!/usr/bin/env python3
"""Fails when an include points the wrong way (docs/architecture.md, "What each folder may include").

Layers, top to bottom: server -> federation -> storage. Inside server/, the application
(services, inbound, views) never includes its edges (http, routes, html, cli, config, app), and
within the application views <- services <- inbound. Inside federation/, the AS2 vocabulary
(as2/) knows no storage records: converters live in federation/convert/.
"""
import pathlib
import re
import sys

INCLUDE = re.compile(r'^\s*#\s*include\s*[<"]([^>"]+)[>"]', re.MULTILINE)
SERVER_EDGES = ("server/http/", "server/routes/", "server/html/", "server/cli/", "server/config/",
                "server/app/")

# folder (relative to the repository root) -> include prefixes it must not use.
FORBIDDEN = {
    "common": ("storage/", "federation/", "server/"),
    "storage": ("federation/", "server/", "boost/beast", "rapidjson/", "openssl/"),
    "federation": ("server/",),
    "federation/as2": ("storage/",),
    "federation/crypto": ("storage/",),
    "federation/http": ("storage/",),
    "federation/signatures": ("storage/",),
    "federation/text": ("storage/",),
    "server/views": SERVER_EDGES + ("server/services/", "server/inbound/"),
    "server/services": SERVER_EDGES + ("server/inbound/",),
    "server/inbound": SERVER_EDGES,
    # The HTTP server and the HTML pages are generic edges: they know no use case.
    "server/http": ("server/routes/", "server/html/", "server/cli/", "server/config/",
                    "server/app/", "server/services/", "server/inbound/", "server/views/"),
    "server/html": ("server/http/", "server/routes/", "server/cli/", "server/config/",
                    "server/app/", "server/services/", "server/inbound/", "server/views/"),
    "server/routes": ("server/cli/", "server/app/"),
}
SOURCE_SUFFIXES = (".hpp", ".cpp", ".h")


def violations(root: pathlib.Path):
    for folder, banned in FORBIDDEN.items():
        base = root / folder
        if not base.is_dir():
            continue
        for path in sorted(base.rglob("*")):
            if path.suffix not in SOURCE_SUFFIXES:
                continue
            for target in INCLUDE.findall(path.read_text(encoding="utf-8")):
                if target.startswith(banned):
                    yield f"{path.relative_to(root)} includes {target} ({folder}/ may not)"


def main() -> int:
    root = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else ".").resolve()
    found = sorted(set(violations(root)))
    for line in found:
        print(f"layering violation: {line}")
    if not found:
        print("layers: storage <- federation <- server and server's folders respected")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
