"""A process standing in for the catalogue function as Lambda runs it, to show what its PDF parser can see.

`python -m tests.support.function_process <pdf>`, started with credentials in its environment (Lambda puts
them in the function's initial environment, which is what /proc/<pid>/environ shows). Like Lambda's
function user it holds no capabilities (the test may run as root: a root parent's capabilities alone would
keep a capability-less child out, which is not how Lambda is). It inspects the file twice with the real
inspector, whose worker is `probing_worker` (so the second file goes to the warm worker the first started),
and prints what each file's process saw, as a JSON list.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

if __name__ == "__main__":
    from case_reviews.adapters import pdf
    from case_reviews.adapters.pdf_worker import confinement

    confinement.drop_privileges()
    pdf.WORKER_MODULE = "tests.support.probing_worker"
    source = Path(sys.argv[1])
    inspector = pdf.IsolatedPdfInspector()
    seen = []
    for number in (1, 2):
        workdir = source.parent / f"file-{number}"
        workdir.mkdir()
        found = inspector.inspect(source, workdir, anonymous=False)
        seen.append(json.loads(found.text_path.read_text(encoding="utf-8")))
    print(json.dumps(seen))
