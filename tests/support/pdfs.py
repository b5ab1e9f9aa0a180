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


def raw_pdf(objects: list[bytes], trailer: bytes = b"") -> bytes:
    """A PDF from its numbered objects (object 1 the catalogue), with a correct cross-reference table;
    `trailer`: more entries for the trailer (an /Info, an /ID)."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R %s>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, trailer, xref)
    return bytes(out)


def _stream(data: bytes, entries: bytes = b"", compress: bool = False) -> bytes:
    if compress:
        data, entries = zlib.compress(data), entries + b" /Filter /FlateDecode"
    return b"<< /Length %d%s >>\nstream\n" % (len(data), entries) + data + b"\nendstream"


def _xmp(name: str) -> bytes:
    return (
        '<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/">'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f"<dc:creator><rdf:Seq><rdf:li>{name}</rdf:li></rdf:Seq></dc:creator></rdf:Description>"
        '</rdf:RDF></x:xmpmeta><?xpacket end="w"?>'
    ).encode()


def _utf16(text: str) -> bytes:
    """A PDF text string in UTF-16BE with its byte-order mark, as a hex string."""
    return b"<FEFF" + text.encode("utf-16-be").hex().upper().encode() + b">"


def pdf_naming_the_board_everywhere(board: str) -> bytes:
    """A one-page report whose pages say nothing of the board, but whose every other place names it.

    Document information and the catalogue's XMP; XMP on the page, a form XObject, an image and a font;
    /PieceInfo on the catalogue, the page and the form XObject; a sticky note (author, text, rich text,
    subject) with its pop-up and a reply (author in hex), a typed comment whose appearance draws the name,
    all reachable from the structure tree too; a filled-in text field (name, value, default, tooltip, drawn
    value); an outline entry (in UTF-16) and a named destination; a page label prefix; the trailer's /ID;
    the page's embedded thumbnail. Some of it compressed, so only decoding finds it.
    """
    name = board.encode("latin-1")
    shout = b"BT /F1 9 Tf 2 2 Td (" + name + b") Tj ET"
    objects = [
        # 1: the catalogue
        b"<< /Type /Catalog /Pages 2 0 R /Metadata 5 0 R /PieceInfo << /Board << /Private (" + name + b") >> >>"
        b" /AcroForm << /Fields [13 0 R] /DA (/F1 0 Tf 0 g) >> /Outlines 15 0 R"
        b" /PageLabels << /Nums [0 << /S /D /P (" + name + b" page ) >>] >> /PageMode /UseOutlines"
        b" /Names << /Dests << /Names [(" + name + b" introduction) [3 0 R /Fit]] >> >>"
        b" /StructTreeRoot 17 0 R /MarkInfo << /Marked true >> >>",
        # 2: the page tree
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        # 3: the page
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
        b" /Resources << /Font << /F1 6 0 R >> /XObject << /Fx1 7 0 R /Im1 8 0 R >> >>"
        b" /Annots [9 0 R 10 0 R 11 0 R 12 0 R 13 0 R] /Thumb 18 0 R /Metadata 19 0 R"
        b" /PieceInfo << /Board << /Private (" + name + b") >> >> >>",
        # 4: the page's content: words that do not name the board, the image and the form XObject
        _stream(
            b"BT /F1 12 Tf 72 720 Td (Learning about the response to neglect.) Tj ET"
            b" q 20 0 0 20 72 600 cm /Im1 Do Q q /Fx1 Do Q"
        ),
        # 5: the catalogue's XMP (compressed)
        _stream(_xmp(board), b" /Type /Metadata /Subtype /XML", compress=True),
        # 6: a font with XMP of its own
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Metadata 20 0 R >>",
        # 7: a form XObject (an empty drawing) with XMP and private data
        _stream(
            b"",
            b" /Type /XObject /Subtype /Form /BBox [0 0 10 10] /Metadata 20 0 R"
            b" /PieceInfo << /Board << /Private (" + name + b") >> >>",
        ),
        # 8: an image (one grey pixel) with XMP
        _stream(
            b"\x80",
            b" /Type /XObject /Subtype /Image /Width 1 /Height 1 /ColorSpace /DeviceGray"
            b" /BitsPerComponent 8 /Metadata 20 0 R",
        ),
        # 9: a sticky note by the board, its pop-up (10) and a reply (11), author in hex
        b"<< /Type /Annot /Subtype /Text /Rect [20 20 40 40] /T ("
        + name
        + b") /Contents (Comment from "
        + name
        + b") /RC (<body><p>"
        + name
        + b"</p></body>) /Subj ("
        + name
        + b") /Popup 10 0 R"
        b" /StructParent 0 >>",
        b"<< /Type /Annot /Subtype /Popup /Rect [40 40 200 100] /Parent 9 0 R /Open false >>",
        b"<< /Subtype /Text /Rect [20 50 40 70] /IRT 9 0 R /T <" + name.hex().encode() + b"> /Contents (Agreed) >>",
        # 12: a typed comment whose appearance draws the board's name (compressed)
        b"<< /Type /Annot /Subtype /FreeText /Rect [300 20 500 40] /Contents (" + name + b")"
        b" /DA (/F1 9 Tf 0 g) /AP << /N 14 0 R >> >>",
        # 13: a filled-in text field, its own widget
        b"<< /FT /Tx /T (" + name + b" field) /TU (" + name + b") /V (" + name + b") /DV (" + name + b")"
        b" /Subtype /Widget /Rect [72 100 300 120] /P 3 0 R /DA (/F1 9 Tf 0 g) /AP << /N 14 0 R >> >>",
        # 14: the drawn name, shared by the typed comment and the field
        _stream(
            shout,
            b" /Type /XObject /Subtype /Form /BBox [0 0 200 20] /Resources << /Font << /F1 6 0 R >> >>",
            compress=True,
        ),
        # 15: the outline and its entry (16), titled in UTF-16
        b"<< /Type /Outlines /First 16 0 R /Last 16 0 R /Count 1 >>",
        b"<< /Title " + _utf16(board) + b" /Parent 15 0 R /Dest [3 0 R /Fit] >>",
        # 17: the structure tree, which reaches the sticky note by an object reference
        b"<< /Type /StructTreeRoot /K << /Type /StructElem /S /Annot /P 17 0 R /Pg 3 0 R"
        b" /K << /Type /OBJR /Obj 9 0 R /Pg 3 0 R >> >> /ParentTree << /Nums [0 9 0 R] >> >>",
        # 18: the page's thumbnail, whose pixels happen to spell the name (compressed)
        _stream(name, b" /Width %d /Height 1 /ColorSpace /DeviceGray /BitsPerComponent 8" % len(name), compress=True),
        # 19: the page's XMP, 20: the XMP shared by the font, the form XObject and the image
        _stream(_xmp(board), b" /Type /Metadata /Subtype /XML"),
        _stream(_xmp(board), b" /Type /Metadata /Subtype /XML", compress=True),
        # 21: the document information
        b"<< /Title (Child Safeguarding Practice Review: Child M) /Author (" + name + b")"
        b" /Creator (" + name + b" Business Unit) /Producer (" + name + b") >>",
    ]
    identifier = b"<" + name[:16].hex().encode() + b">"
    return raw_pdf(objects, trailer=b"/Info 21 0 R /ID [%s %s] " % (identifier, identifier))


def incrementally_redacted_pdf() -> bytes:
    """A two-page report saved twice: the first revision says "Child named ZEBULON" (in its text and its
    title), the second, appended as an incremental update, shows "Child K [redacted]" instead.

    The first page's old content stream stays in the file as an object nothing refers to any more, and
    the old document information as an earlier revision of its object; both uncompressed, so the name is
    in the file's bytes.
    """
    from pypdf import PdfWriter
    from pypdf.generic import DecodedStreamObject, NameObject

    document = FPDF()
    document.set_compression(False)
    document.set_title("Child named ZEBULON: overview report")
    document.set_font("helvetica", size=11)
    document.add_page()
    document.multi_cell(0, 6, "Child named ZEBULON was known to children's social care.")
    document.add_page()
    document.multi_cell(0, 6, "Learning: share information between agencies.")
    writer = PdfWriter(io.BytesIO(bytes(document.output())), incremental=True)
    page = writer.pages[0]
    font = next(iter(page["/Resources"]["/Font"]))
    redacted = DecodedStreamObject()
    redacted.set_data(
        f"BT {font} 11 Tf 30 780 Td (Child K [redacted] was known to children's social care.) Tj ET".encode()
    )
    page[NameObject("/Contents")] = writer._add_object(redacted)
    writer.add_metadata({"/Title": "Child K: overview report"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def xfa_form_pdf() -> bytes:
    """A one-page PDF whose form is XFA: an /XFA packet in its /AcroForm."""
    packet = b'<xdp:xdp xmlns:xdp="http://ns.adobe.com/xdp/"><template/></xdp:xdp>'
    return raw_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [] /XFA 4 0 R >> >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>",
            _stream(packet),
        ]
    )


def pdf_only_a_viewer_repairs() -> bytes:
    """A one-page PDF with no cross-reference table and no startxref: PDFium (like most viewers) rebuilds
    them by scanning the objects and shows the page; pypdf cannot read it."""
    content = b"BT /F1 12 Tf 72 720 Td (Learning about neglect.) Tj ET"
    whole = raw_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
            b" /Resources << /Font << /F1 5 0 R >> >> >>",
            _stream(content),
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        ]
    )
    return whole[: whole.index(b"xref\n")] + b"trailer\n<< /Size 6 /Root 1 0 R >>\n%%EOF\n"


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
