#!/usr/bin/env python3
"""Fails when a lower layer includes a higher one (DESIGN.md: server -> federation -> storage)."""
import pathlib
import re
import sys

FORBIDDEN = {
    "storage": ("federation/", "server/"),
    "federation": ("server/",),
}
INCLUDE = re.compile(r'^\s*#\s*include\s*[<"]([^>"]+)[>"]', re.MULTILINE)


def violations(root: pathlib.Path):
    for layer, banned in FORBIDDEN.items():
        for path in sorted((root / layer).rglob("*")):
            if path.suffix not in (".hpp", ".cpp", ".h"):
                continue
            for target in INCLUDE.findall(path.read_text(encoding="utf-8")):
                if target.startswith(banned):
                    yield f"{path.relative_to(root)} includes {target}"
    # storage knows nothing of HTTP, JSON or OpenSSL either.
    for path in sorted((root / "storage").rglob("*")):
        if path.suffix not in (".hpp", ".cpp"):
            continue
        for target in INCLUDE.findall(path.read_text(encoding="utf-8")):
            if target.startswith(("boost/beast", "rapidjson/", "openssl/")):
                yield f"{path.relative_to(root)} includes {target}"


def main() -> int:
    root = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else ".").resolve()
    found = list(violations(root))
    for line in found:
        print(f"layering violation: {line}")
    if not found:
        print("layers: storage <- federation <- server respected")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
