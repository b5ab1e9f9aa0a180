"""`python -m case_reviews.adapters.pdf_worker '<worker JSON>'`: run the worker until its stdin closes."""

import sys

from case_reviews.adapters.pdf_worker.worker import main

if __name__ == "__main__":
    sys.exit(main(sys.argv))
