#!/usr/bin/env python3
"""check_query_plans.py: what it accepts as not reading a whole table, and what it still reports."""
import pathlib
import sqlite3
import sys
import unittest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import check_query_plans as plans  # noqa: E402

SCHEMA = """
CREATE TABLE posts (id INTEGER PRIMARY KEY, ap_id TEXT UNIQUE, in_reply_to TEXT, raw_json TEXT);
CREATE INDEX posts_in_reply_to ON posts (in_reply_to) WHERE in_reply_to <> '';
"""


def scans(sql):
    db = sqlite3.connect(":memory:")
    db.executescript(SCHEMA)
    return plans.table_scans(db, sql)


class TableScansTest(unittest.TestCase):
    def test_json_each_over_a_bound_array_is_no_table_scan(self):
        self.assertEqual(scans("SELECT id FROM posts WHERE id IN (SELECT value FROM json_each(?1))"),
                         [])
        self.assertEqual(scans("SELECT p.id FROM json_each(?1) AS j JOIN posts p ON p.id = j.value"),
                         [])

    def test_json_each_over_a_column_is_reported(self):
        found = scans("SELECT p.id FROM posts p, json_each(p.raw_json) j WHERE p.id = 1")
        self.assertEqual(found, ["SCAN j VIRTUAL TABLE INDEX 1:"])
        # The same name used over a parameter and over a column: not accepted either.
        found = scans("SELECT id FROM posts WHERE id IN (SELECT value FROM json_each(?1)) "
                      "AND id NOT IN (SELECT value FROM json_each(raw_json))")
        self.assertTrue(found)

    def test_a_recursive_cte_is_no_table_scan_but_a_table_still_is(self):
        walk = ("WITH RECURSIVE tree(ap_id, depth) AS (SELECT ap_id, 0 FROM posts WHERE ap_id = ?1 "
                "UNION ALL SELECT p.ap_id, t.depth + 1 FROM posts p JOIN tree t "
                "ON p.in_reply_to = t.ap_id WHERE t.depth < ?2 AND p.in_reply_to <> '') "
                "SELECT posts.id FROM posts JOIN tree USING (ap_id)")
        self.assertEqual(scans(walk), [])
        self.assertEqual(scans("SELECT id FROM posts WHERE raw_json = ?1"), ["SCAN posts"])

    def test_header_column_macros_are_expanded(self):
        macros = {"COLS": (None, '"id, ap_id"'), "QUAL": ("a", 'a "id, " a "ap_id"')}
        source = ('constexpr const char* kOne = "SELECT " COLS " FROM posts";\n'
                  'constexpr const char* kTwo = "SELECT " QUAL("p.") " FROM posts p";\n')
        self.assertEqual(plans.sql_constants(source, macros),
                         [("kOne", "SELECT id, ap_id FROM posts"),
                          ("kTwo", "SELECT p.id, p.ap_id FROM posts p")])


if __name__ == "__main__":
    unittest.main()
