#!/usr/bin/env python3
"""check_layers.py fails on an upward include and passes on a tree without one."""
import pathlib
import subprocess
import sys
import tempfile
import unittest

CHECK = pathlib.Path(__file__).resolve().parent / "check_layers.py"


def run(tree: dict) -> subprocess.CompletedProcess:
    with tempfile.TemporaryDirectory() as tmp:
        root = pathlib.Path(tmp)
        for name, text in tree.items():
            path = root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        return subprocess.run([sys.executable, str(CHECK), str(root)], capture_output=True,
                              text=True, check=False)


class CheckLayersTest(unittest.TestCase):
    def test_downward_includes_pass(self):
        result = run({
            "server/routes/a.cpp": '#include "server/views/b.hpp"\n#include "federation/x.hpp"\n',
            "server/services/c.cpp": '#include "server/views/b.hpp"\n#include "storage/s.hpp"\n',
            "federation/inbox/d.cpp": '#include "storage/s.hpp"\n',
        })
        self.assertEqual(result.returncode, 0, result.stdout)

    def test_each_upward_include_fails(self):
        cases = {
            "storage/a.cpp": '#include "federation/x.hpp"\n',
            "storage/b.cpp": "#include <rapidjson/document.h>\n",
            "federation/inbox/c.cpp": '#include "server/inbound/d.hpp"\n',
            "federation/as2/e.cpp": '#include "storage/records.hpp"\n',
            "server/services/f.cpp": '#include "server/http/request.hpp"\n',
            "server/services/g.cpp": '#include "server/inbound/h.hpp"\n',
            "server/inbound/i.cpp": '#include "server/cli/cli.hpp"\n',
            "server/views/j.cpp": '#include "server/services/post_service.hpp"\n',
            "server/html/k.cpp": '#include "server/views/thread_views.hpp"\n',
        }
        for name, text in cases.items():
            with self.subTest(name=name):
                result = run({name: text})
                self.assertEqual(result.returncode, 1, result.stdout)
                self.assertIn(f"layering violation: {name}", result.stdout)


if __name__ == "__main__":
    unittest.main()
