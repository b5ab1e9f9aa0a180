"""A function that dies mid-file: `python -m tests.support.dying_function <workdir>`.

It inspects a first file with the real inspector, whose worker is `scripted_worker` (so a warm worker is
running), prints that worker's pid, then inspects a file whose process never returns (`hang`, which writes
its pid to `<workdir>/hang/hang.pid`) with no time limit worth the name: it is still waiting for that file
when the test kills it.
"""

from __future__ import annotations

import sys
from pathlib import Path

if __name__ == "__main__":
    from case_reviews.adapters import pdf

    pdf.WORKER_MODULE = "tests.support.scripted_worker"
    workdir = Path(sys.argv[1])
    inspector = pdf.IsolatedPdfInspector(pdf.PdfLimits(time_limit_s=3600))
    for name, script in (("first", b"first"), ("hang", b"hang")):
        folder = workdir / name
        folder.mkdir()
        (folder / "upload.pdf").write_bytes(script)
        inspector.inspect(folder / "upload.pdf", folder, anonymous=False)
        print(inspector.worker_pid, flush=True)
