"""Real PDF files for tests, made with fpdf2."""

from __future__ import annotations

import io
import struct
import zlib

from fpdf import FPDF


def make_pdf(*pages: str, title: str = "Case review") -> bytes:
    """A PDF with one page per text given (Latin-1 text; the core fonts have no other glyphs)."""
    document = FPDF()
    document.set_title(title)
    document.set_font("helvetica", size=11)
    for text in pages or ("",):
        document.add_page()
        document.multi_cell(0, 6, text)
    return bytes(document.output())


# ------------------------------------------------------------------ the hostile corpus (generated, never committed)


def encrypted_pdf(user_password: str = "secret") -> bytes:
    """A PDF that needs a password to open (an empty one: encrypted with permission restrictions only)."""
    document = FPDF()
    document.set_encryption(owner_password="owner", user_password=user_password)
    document.add_page()
    document.set_font("helvetica", size=12)
    document.cell(text="Confidential")
    return bytes(document.output())


def javascript_pdf() -> bytes:
    """A report that runs JavaScript when opened (an /OpenAction of type JavaScript)."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.actions import JavaScript

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(make_pdf("A report with a script"))))
    writer.add_open_action(JavaScript("app.alert('hello');"))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def attachment_pdf() -> bytes:
    """A report with a spreadsheet attached inside it."""
    document = FPDF()
    document.add_page()
    document.set_font("helvetica", size=11)
    document.cell(text="See the attached chronology.")
    document.embed_file(bytes=b"name,date\nChild K,2015-01-01\n", basename="chronology.csv")
    return bytes(document.output())


def image_only_pdf(pages: int = 2) -> bytes:
    """A scanned report: every page one image, no text at all."""
    from PIL import Image, ImageDraw

    document = FPDF()
    for number in range(pages):
        scan = Image.new("L", (600, 850), color=255)
        ImageDraw.Draw(scan).rectangle((50, 50 + number * 10, 550, 120), fill=0)
        document.add_page()
        document.image(scan, x=0, y=0, w=210)
    return bytes(document.output())


def pdf_naming_the_board(board: str) -> bytes:
    """A report whose document information and XMP packet both name the board."""
    document = FPDF()
    document.set_title("Child Safeguarding Practice Review: Child M")
    document.set_author(board)
    document.set_creator(f"{board} Business Unit")
    document.set_xmp_metadata(
        '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f"<dc:creator><rdf:Seq><rdf:li>{board}</rdf:li></rdf:Seq></dc:creator></rdf:Description>"
    )
    document.set_font("helvetica", size=11)
    document.add_page()
    document.multi_cell(0, 6, "Learning about the response to neglect.")
    return bytes(document.output())


def raw_pdf(objects: list[bytes]) -> bytes:
    """A PDF from its numbered objects (object 1 the catalogue), with a correct cross-reference table."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def many_pages_pdf(pages: int) -> bytes:
    """A PDF of `pages` pages sharing one content stream: thousands of pages in a few hundred KB."""
    content = b"BT /F1 12 Tf 72 720 Td (Page) Tj ET"
    kids = b" ".join(b"%d 0 R" % (5 + index) for index in range(pages))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % pages,
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    page = (
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 3 0 R"
        b" /Resources << /Font << /F1 4 0 R >> >> >>"
    )
    return raw_pdf(objects + [page] * pages)


def decompression_bomb_pdf(inflated_gib: int = 2) -> bytes:
    """A one-page PDF whose content stream is a few MB of Flate that inflates to `inflated_gib` GiB of zeros.

    One MiB of zeros deflated and fully flushed is a self-contained block sequence, so it is repeated
    rather than compressing gigabytes; the Adler-32 of n zero bytes is (n mod 65521) << 16 | 1.
    """
    mebibyte = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = mebibyte.compress(bytes(1024 * 1024)) + mebibyte.flush(zlib.Z_FULL_FLUSH)
    count = inflated_gib * 1024
    inflated = count * 1024 * 1024
    tail = zlib.compressobj(9, zlib.DEFLATED, -15).flush(zlib.Z_FINISH)
    adler = ((inflated % 65521) << 16) | 1
    stream = b"\x78\xda" + block * count + tail + struct.pack(">I", adler)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 3 0 R >>",
    ]
    return raw_pdf(objects)
