#!/usr/bin/env python3
"""Every SQL statement in storage/ uses an index, or is listed below with the reason it may scan.

Builds the schema from storage/schema_*.hpp (the migrations in the order storage/schema.cpp lists
them), asks SQLite for the plan of each named SQL constant in storage/*.cpp (EXPLAIN QUERY PLAN,
parameters unbound) and fails on any `SCAN <table>` that reads a whole table. Why a check and not
a benchmark: a full scan is invisible with the ten rows of a unit test and costs seconds per
request at 100,000 posts. Issue 15 found five of them (the thread page, the inbox worker's
thread lookup); the usual cause is a partial index (`WHERE col <> ''`), which SQLite uses only
when the query repeats that condition, or an OR across two indexed columns.

usage: check_query_plans.py REPO_ROOT
"""
import re
import sqlite3
import sys
from pathlib import Path

# Statements allowed to scan, with the reason. Each is run by an operator's command or a
# periodic job over a small or bounded table, never per request or per inbound activity.
ALLOWED = {
    "deliveries.cpp:kPurgeFinished": "periodic purge, oldest ids first with a LIMIT",
    "inbox_items.cpp:kPurgeProcessed": "periodic purge, oldest ids first with a LIMIT",
    "inbox_items.cpp:kCountByState": "`civicpub status` and tests",
    "moderation.cpp:kHideDomainPosts": "`domain block`: an operator's command",
    "moderation.cpp:kRestoreDomainPosts": "`domain unblock`: an operator's command",
    "moderation.cpp:kSeverFollows": "`domain block`: an operator's command",
    "moderation.cpp:kBlocks": "the domain block list, read once per change into memory",
    "moderation.cpp:kKnownDomains": "`domain block`: matching patterns against known hosts",
    "moderation.cpp:kPendingDeliveries": "`domain block`: cancelling queued deliveries",
    "polls.cpp:kAll": "`consultation list`: an operator's command",
    "reports.cpp:kList": "`report list`: an operator's command",
    "oauth_sessions.cpp:kSessionsOf": "`account sessions`: an operator's command",
    "staff.cpp:kAudit": "`civicpub audit`: an operator's command",
    "usage.cpp:kCounts": "NodeInfo: scans the local actors (a handful), not the posts",
}

LITERAL = r'"(?:[^"\\]|\\.)*"'


def migrations(root):
    """The migration texts in the order storage/schema.cpp lists them."""
    texts = {}
    for header in sorted((root / "storage").glob("schema_*.hpp")):
        for name, sql in re.findall(r'(kMigration\d+)\s*=\s*R"sql\((.*?)\)sql"',
                                    header.read_text(), re.S):
            texts[name] = sql
    order = re.findall(r"Migration\{\d+,\s*schema::(kMigration\d+)\}",
                       (root / "storage/schema.cpp").read_text())
    if not order:
        raise SystemExit("no migrations found in storage/schema.cpp")
    return [texts[name] for name in order]


def sql_constants(source):
    """(name, sql) for every `constexpr ... kName = R"sql(...)sql"` or string-literal constant,
    with `#define NAME "..."` fragments expanded."""
    text = source.replace("\\\n", " ")
    define = r"^#define\s+(\w+)\s+((?:%s[ \t]*)+)$" % LITERAL
    macros = dict(re.findall(define, text, re.M))
    text = re.sub(define, "", text, flags=re.M)
    for name, value in macros.items():
        text = re.sub(r"\b%s\b" % name, lambda _: value, text)
    found = re.findall(r'constexpr[^=;]*?\b(k\w+)(?:\[\])?\s*=\s*R"sql\((.*?)\)sql"', text, re.S)
    for name, body in re.findall(r"constexpr[^=;(]*?\b(k\w+)(?:\[\])?\s*=\s*((?:%s\s*)+);"
                                 % LITERAL, text):
        found.append((name, "".join(re.findall(LITERAL, body)).replace('"', "")))
    return [(n, s.strip()) for n, s in found
            if re.match(r"(?is)(SELECT|WITH|UPDATE|DELETE|INSERT)\b", s.strip())]


def parameter_count(sql):
    numbered = [int(n) for n in re.findall(r"\?(\d+)", sql)]
    return max(numbered) if numbered else len(re.findall(r"\?(?!\d)", sql))


def table_scans(db, sql):
    rows = db.execute("EXPLAIN QUERY PLAN " + sql, [None] * parameter_count(sql)).fetchall()
    return [r[3] for r in rows
            if re.match(r"SCAN (?!CONSTANT ROW)", r[3]) and "USING" not in r[3]
            and "subquery" not in r[3] and not r[3].startswith("SCAN json_")]


def check(root):
    db = sqlite3.connect(":memory:")
    for sql in migrations(root):
        db.executescript(sql)
    problems, checked, seen = [], 0, set()
    for path in sorted((root / "storage").glob("**/*.cpp")):
        for name, sql in sql_constants(path.read_text()):
            key = f"{path.name}:{name}"
            seen.add(key)
            checked += 1
            try:
                scans = table_scans(db, sql)
            except sqlite3.Error as e:
                problems.append(f"{path.relative_to(root)}: {name}: does not prepare: {e}")
                continue
            if scans and key not in ALLOWED:
                problems.append(f"{path.relative_to(root)}: {name}: {'; '.join(scans)}")
    stale = sorted(set(ALLOWED) - seen)
    problems += [f"allowed but not found (remove it from ALLOWED): {k}" for k in stale]
    return checked, problems


def main():
    root = Path(sys.argv[1] if len(sys.argv) > 1 else ".").resolve()
    checked, problems = check(root)
    for p in problems:
        print(p)
    print(f"{checked} statements checked, {len(problems)} problems")
    if checked < 100:
        print("too few statements found: the extraction is broken")
        return 1
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
