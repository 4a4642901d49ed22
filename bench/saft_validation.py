"""`make bench`, part 2: SAF-T validation time and peak memory on a 100,000-line file.

Generates a valid SAF-T (PT) 1.04_01 file of 100,000 invoice lines (bench/saft_file.py),
zips it as InvoiceXpress does, and validates it from the zip, the way an archived export is
validated (`saft.validation.validate_saft` on the zip member's stream), in a fresh process
so its peak RSS is the validation's own. The upstream reconciliation is not included (it is
bounded by the service's list pages, not by the file).

Goal (printed, never asserted: the machine is shared): <= 60 s and <= 500 MB peak RSS.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LINES = int(os.environ.get("BENCH_SAFT_LINES", "100000"))
GOAL_SECONDS = 60.0
GOAL_MB = 500.0


def _validate_in_this_process(zip_path: str) -> None:
    """Child: validate the zip's XML member and print the figures as JSON."""
    import resource

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ixportal.test_settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from saft.validation import validate_saft

    before_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    wall, cpu = time.perf_counter(), time.process_time()
    with zipfile.ZipFile(zip_path) as archive, archive.open(archive.infolist()[0]) as xml:
        report = validate_saft(xml, company_nif="508025338", year=2026, month=10)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        json.dumps(
            {
                "verdict": report.verdict,
                "problems": len(report.problems),
                "documents": report.documents,
                "lines": report.lines,
                "wall": wall,
                "cpu": cpu,
                "peak_mb": peak_kib / 1024,
                "before_mb": before_kib / 1024,
            }
        )
    )


def main() -> int:
    print("SAF-T validation (schema 1.04_01 via lxml + assertions + accountant's rules)")
    valid = measure(broken=False, title="a valid file")
    broken = measure(broken=True, title="the same file, first document without ATCUD")
    return valid or broken


def measure(*, broken: bool, title: str) -> int:
    sys.path.insert(0, str(ROOT))
    from bench.saft_file import write_big_saft

    with tempfile.TemporaryDirectory(prefix="ixportal-saft-bench-") as folder:
        xml_path = Path(folder) / "SAFT_508025338_202610.xml"
        zip_path = Path(folder) / "SAFT_508025338_202610.zip"
        started = time.perf_counter()
        write_big_saft(xml_path, lines=LINES, broken=broken)
        with zipfile.ZipFile(zip_path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.write(xml_path, xml_path.name)
        made = time.perf_counter() - started
        xml_mb = xml_path.stat().st_size / 1024 / 1024
        zip_mb = zip_path.stat().st_size / 1024 / 1024
        xml_path.unlink()
        child = subprocess.run(
            [sys.executable, __file__, "--child", str(zip_path)],
            capture_output=True,
            text=True,
            check=False,
            cwd=ROOT,
        )
        if child.returncode != 0:
            print(child.stderr, file=sys.stderr)
            return child.returncode
        figures = json.loads(child.stdout.strip().splitlines()[-1])

    print(f"- {title}")
    print(f"  file: {figures['lines']:,} lines in {figures['documents']:,} documents, "
          f"{xml_mb:.1f} MB of XML ({zip_mb:.1f} MB zipped), generated in {made:.1f} s")  # fmt: skip
    print(f"  verdict: {figures['verdict']} ({figures['problems']} problems)")
    ok_time = "OK" if figures["wall"] <= GOAL_SECONDS else "OVER"
    ok_memory = "OK" if figures["peak_mb"] <= GOAL_MB else "OVER"
    print(f"  time: {figures['wall']:.1f} s wall, {figures['cpu']:.1f} s CPU "
          f"(goal <= {GOAL_SECONDS:.0f} s: {ok_time})")  # fmt: skip
    print(f"  peak memory: {figures['peak_mb']:.0f} MB RSS, {figures['before_mb']:.0f} MB of it "
          f"before validating (goal <= {GOAL_MB:.0f} MB: {ok_memory})")  # fmt: skip
    return 0


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--child":
        _validate_in_this_process(sys.argv[2])
        sys.exit(0)
    sys.exit(main())
