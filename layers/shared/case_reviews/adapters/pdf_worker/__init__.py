"""The PDF parser's own process: privileges and limits first, then PDFium and pypdf on untrusted files.

`python -m case_reviews.adapters.pdf_worker '<worker JSON>'` is the warm worker of `IsolatedPdfInspector`
(`adapters/pdf.py`): it drops its privileges, limits itself, imports PDFium and pypdf once, then reads one
request (JSON) a line from stdin until stdin closes. Each file is parsed in a fork of it, made for that file
alone: the limits of that request are set in the fork before anything reads the file, the fork prints the
findings (or `{"rejected": reason}`) to a pipe of its own and exits. The worker answers each request with a
JSON line: the fork's exit code (negative: the signal that ended it), its findings, and its peak memory.

So a file is never parsed where another file was: what one hostile file does to the parser (a crash, a
limit hit, an exploit) stays in the fork that ends with it, and each fork's CPU time and memory start from
the worker's, not from the files before. The worker itself never reads a file; only the standard library
is imported before the limits.

What is stored is never the upload itself: pypdf reads the file, every object reachable from its
catalogue is checked, and a new file is written from those objects alone, so earlier revisions of an
incrementally saved file and objects nothing refers to are left behind. The text is then extracted
(by PDFium) from that copy, so search sees exactly what a downloader gets.

The modules, in the order a file meets them:

* `worker`: the process loop and its protocol (stdin requests, a fork per file, answers, leftovers ended);
* `confinement`: what the worker and each file's fork give up and are bounded by before any file is read;
* `inspection`: what a file's fork does with its file, step by step;
* `checks`: the safety checks (PDFium's reading, pypdf's, every reachable object, decompression bombs);
* `rewrite`: the clean copy, and what an anonymous copy has stripped;
* `text`: the copy's text, as search gets it.

Nothing is imported here, so `python -m` of the package loads only what `worker` needs.
"""
