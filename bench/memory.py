"""Peak memory of the catalogue step on the largest upload allowed (MAX_UPLOAD_BYTES' default).

The bench generates a PDF of just under that size (scanned-looking pages: a JPEG of noise, which does not
compress, and a paragraph of text each), then runs

    python -c <LAUNCHER> <report file> python -m bench.memory <pdf> <anonymous: 0|1>

once per variant. The fresh process provisions the template's resources on moto (in process, mock_aws, or a
moto server) with infra.local.provision and wires the functions' services to them (bootstrap.build, as
tests/integration/conftest.py), opens a submission, puts the file where the presigned upload would, and runs
`CatalogueService.catalogue_upload` as the catalogue function does;
it prints one JSON line with its own peak RSS (`getrusage(RUSAGE_SELF).ru_maxrss`) over the catalogue step
alone and the extraction process's: the peak the PDF worker reports for the fork that parsed the file
(`wait4`'s `ru_maxrss` of it: the worker's pages it started with, and what parsing added).

Why the launcher: Linux gives a new process the spawner's high-water mark at exec (ru_maxrss counts the
memory image exec replaced, the parent's, since subprocess spawns with vfork), so a child's ru_maxrss is
never below its parent's. The catalogue process is therefore started from a small interpreter that does
nothing but start it (`LAUNCHER`, ~10 MB, below anything measured), and resets its own high-water mark
(`/proc/self/clear_refs` = 5) after the setup (moto, provisioning, the upload into moto), so the figure is
the catalogue step's: what the process holds when the step starts plus what the step adds. A fork starts
from its worker's current memory, not from a high-water mark, so the file's figure needs no launcher. The
product code runs unchanged: only the inspector's exchange with its worker is wrapped in the measuring
process, to read the worker's answer.
"""

from __future__ import annotations

import contextlib
import gc
import io
import json
import os
import resource
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bench.common import LOCAL_CREDENTIALS, ROOT, BenchError, embedded_services, import_environment

if TYPE_CHECKING:
    from case_reviews.adapters.aws import Clients

# Starts argv[2:] and waits; writes the waited-for process tree's peak RSS (KiB) to argv[1]; passes the
# exit status on. Nothing imported beyond subprocess, so its own footprint is an interpreter's.
LAUNCHER = (
    "import resource, subprocess, sys\n"
    "code = subprocess.run(sys.argv[2:]).returncode\n"
    "with open(sys.argv[1], 'w') as out:\n"
    "    out.write(str(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss))\n"
    "sys.exit(code if code >= 0 else 128 - code)\n"
)
# A scanned page at ~150 dpi: ~230 KB of JPEG that no compression shrinks.
PAGE_IMAGE_SIZE = (600, 800)
PAGE_IMAGE_QUALITY = 60
RSS_PROBE_ENVIRONMENT = {
    "AWS_ACCESS_KEY_ID": "local",
    "AWS_SECRET_ACCESS_KEY": "local",
    "AWS_SESSION_TOKEN": "local",
    "AWS_REGION": "eu-west-2",
    "AWS_DEFAULT_REGION": "eu-west-2",
    "POWERTOOLS_LOG_LEVEL": "WARNING",
}


def max_upload_bytes() -> int:
    from case_reviews.config import StorageSettings

    return StorageSettings.model_fields["max_upload_bytes"].default


def make_large_pdf(path: Path, target_bytes: int) -> tuple[int, int]:
    """A PDF of just under `target_bytes` (scanned-looking pages); returns (size, pages)."""
    from fpdf import FPDF
    from PIL import Image

    from bench.corpus import report_pages

    width, height = PAGE_IMAGE_SIZE
    sample = io.BytesIO()
    Image.frombytes("RGB", PAGE_IMAGE_SIZE, os.urandom(width * height * 3)).save(
        sample, "JPEG", quality=PAGE_IMAGE_QUALITY
    )
    # Pages of image + text, leaving room for the text, fonts and cross-reference table.
    pages = int(target_bytes * 0.995) // (len(sample.getvalue()) + 2500)
    texts = report_pages(pages, seed=50)
    document = FPDF()
    document.set_title("Serious Case Review: Child T, Overview Report (scanned)")
    document.set_font("helvetica", size=9)
    for number in range(pages):
        image = io.BytesIO()
        # Distinct noise per page: fpdf2 would store identical images once.
        Image.frombytes("RGB", PAGE_IMAGE_SIZE, os.urandom(width * height * 3)).save(
            image, "JPEG", quality=PAGE_IMAGE_QUALITY
        )
        document.add_page()
        document.image(image, x=10, y=10, w=190, h=190 * height / width)
        document.set_y(265)
        document.multi_cell(0, 4, texts[number][:600])
    document.output(str(path))
    size = path.stat().st_size
    if size > target_bytes:
        raise RuntimeError(f"the generated PDF is {size} bytes, over the {target_bytes} allowed")
    return size, pages


def run_launched(command: list[str], **options: Any) -> tuple[subprocess.CompletedProcess[Any], int]:
    """Run `command` behind LAUNCHER; returns the completed launcher and the command's peak RSS in KiB."""
    with tempfile.NamedTemporaryFile(prefix="bench-rss-", suffix=".txt", delete=False) as report:
        report_path = Path(report.name)
    try:
        completed = subprocess.run([sys.executable, "-c", LAUNCHER, str(report_path), *command], **options)
        text = report_path.read_text(encoding="utf-8").strip()
        return completed, int(text) if text else 0
    finally:
        report_path.unlink(missing_ok=True)


def measure_catalogue_rss(pdf: Path, anonymous: bool = False, moto_server: bool = False) -> dict[str, Any]:
    """One fresh, launched catalogue process on `pdf`: its findings (peaks in MiB) as a dict."""
    environment = import_environment() | RSS_PROBE_ENVIRONMENT
    completed, _ = run_launched(
        [
            sys.executable,
            "-m",
            "bench.memory",
            str(pdf),
            "1" if anonymous else "0",
            "server" if moto_server else "mock",
        ],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )
    lines = completed.stdout.strip().splitlines()
    if completed.returncode != 0 or not lines:
        raise BenchError(f"the catalogue memory probe failed ({completed.returncode}):\n{completed.stderr[-3000:]}")
    return json.loads(lines[-1])


# ---------------------------------------------------------------- the probe (python -m bench.memory)


def _current_rss_kib() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def probe(pdf: Path, anonymous: bool, moto_server: bool) -> dict[str, Any]:
    """Catalogue `pdf` on a freshly provisioned embedded AWS: in this process (mock_aws) or a moto server."""
    from case_reviews.adapters.aws import Clients
    from infra.local.provision import REGION

    with contextlib.ExitStack() as stack:
        endpoint_url = None
        if moto_server:
            from infra.local.moto_server import MotoServer

            endpoint_url = stack.enter_context(MotoServer()).url
        else:
            from moto import mock_aws

            stack.enter_context(mock_aws())
        clients = Clients(region=REGION, endpoint_url=endpoint_url, credentials=LOCAL_CREDENTIALS)
        return _catalogue_once(pdf, anonymous, clients)


def _catalogue_once(pdf: Path, anonymous: bool, clients: Clients) -> dict[str, Any]:
    from case_reviews.adapters import pdf as pdf_adapter
    from case_reviews.domain.description import ReportMetadata
    from case_reviews.domain.files import UploadedObject
    from case_reviews.domain.vocabulary import SubmissionStatus
    from infra.local.provision import StackNames, provision

    child_peaks: list[int] = []
    worker_resident: list[int] = []
    real_ask = pdf_adapter._Worker.ask

    def ask_and_note(worker: Any, request: dict[str, Any], deadline: float) -> dict[str, Any] | None:
        answer = real_ask(worker, request, deadline)
        if answer is not None:
            child_peaks.append(int(answer["peak_rss_kb"]))
            worker_resident.append(int(answer["worker_rss_kb"]))
        return answer

    provisioned = provision(StackNames(), clients=clients)
    services = embedded_services(provisioned, clients)
    board = services.boards.add_board("Northshire Safeguarding Children Partnership", board_id="northshire")
    metadata = ReportMetadata(
        title="Local Child Safeguarding Practice Review: Child T, Overview Report",
        nation="england",
        review_type="local_child_safeguarding_practice_review",  # a type of today (the date is today)
        document_type="overview_report",
        publication_date=services.clock.now().date(),
        contact_email="reviews@northshire.example",
        anonymous=anonymous,
        themes=("neglect",),
    )
    opened = services.submissions.open(board, metadata)
    bucket = provisioned.names.bucket
    clients.aws("s3").upload_file(str(pdf), bucket, opened.submission.upload_key)
    service = services.catalogue
    upload = UploadedObject(bucket=bucket, key=opened.submission.upload_key, size=pdf.stat().st_size)

    gc.collect()
    Path("/proc/self/clear_refs").write_text("5")  # the high-water mark starts again from here
    before_kib = _current_rss_kib()
    pdf_adapter._Worker.ask = ask_and_note  # type: ignore[method-assign]
    try:
        outcome = service.catalogue_upload(upload)
    finally:
        pdf_adapter._Worker.ask = real_ask  # type: ignore[method-assign]
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    if outcome.status is not SubmissionStatus.CATALOGUED or len(child_peaks) != 1:
        raise RuntimeError(f"the upload was not catalogued: {outcome!r} ({len(child_peaks)} worker runs)")
    return {
        "parent_mb": peak_kib / 1024,
        "child_mb": child_peaks[0] / 1024,
        "worker_mb": worker_resident[0] / 1024,
        "parent_before_mb": before_kib / 1024,
        "bytes": pdf.stat().st_size,
    }


if __name__ == "__main__":
    print(json.dumps(probe(Path(sys.argv[1]), sys.argv[2] == "1", sys.argv[3] == "server")), flush=True)
