"""A process standing in for the catalogue function as Lambda runs it, to show what its PDF parser can see.

`python -m tests.support.function_process <pdf>`, started with credentials in its environment (Lambda puts
them in the function's initial environment, which is what /proc/<pid>/environ shows). Like Lambda's
function user it holds no capabilities (the test may run as root: a root parent's capabilities alone would
keep a capability-less child out, which is not how Lambda is). It inspects the file with the real inspector,
whose worker is `probing_worker`, and prints what the worker saw.
"""

from __future__ import annotations

import sys
from pathlib import Path

if __name__ == "__main__":
    from case_reviews.adapters import pdf, pdf_worker

    pdf_worker._drop_privileges()
    pdf.WORKER_MODULE = "tests.support.probing_worker"
    source = Path(sys.argv[1])
    found = pdf.IsolatedPdfInspector().inspect(source, source.parent, anonymous=False)
    print(found.text_path.read_text(encoding="utf-8"))
