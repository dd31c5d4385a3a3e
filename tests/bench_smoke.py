"""The benchmark's smoke run (ctest `bench:smoke`): `BENCH_SMOKE=1 bench/run` against the build
under test must finish and print its JSON line last, every key present with a number above 0.
It never checks how fast anything is (docs/performance.md). Environment: BUILD_DIR (CTest sets it).
"""

import json
import os
import pathlib
import subprocess
import unittest

REPO = pathlib.Path(__file__).resolve().parents[1]
KEYS = ("inbox_per_s", "inbox_ratio", "fanout_per_s", "fanout_ratio", "read_ratio_actor",
        "read_ratio_webfinger", "read_ratio_note", "read_ratio_thread_page", "peer_ratio_actor",
        "peer_ratio_inbox", "rss_idle_mib", "rss_peak_mib", "startup_ms",
        # The inbox step split in two (CIVICPUB_BENCH_PAUSE_INBOX_WORKER): not in the issue's
        # list, checked so the split cannot rot either.
        "inbox_accept_per_s", "inbox_accept_ratio", "inbox_accept_cpu_us", "inbox_process_per_s",
        "inbox_process_cpu_us")


class BenchSmoke(unittest.TestCase):
    def test_smoke_run_prints_every_number(self):
        env = {**os.environ, "BENCH_SMOKE": "1", "BENCH_TIMEOUT": "120"}
        run = subprocess.run([str(REPO / "bench" / "run")], env=env, capture_output=True,
                             text=True, timeout=540)
        self.assertEqual(run.returncode, 0, f"bench/run failed:\n{run.stdout}\n{run.stderr}")
        result = json.loads(run.stdout.strip().splitlines()[-1])
        for key in KEYS:
            self.assertIn(key, result)
            self.assertIsInstance(result[key], (int, float), key)
            self.assertGreater(result[key], 0, key)


if __name__ == "__main__":
    unittest.main()
