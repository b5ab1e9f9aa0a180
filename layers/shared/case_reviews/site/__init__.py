"""The site: the HTML pages people use to search, read, browse the yearly lists and deposit."""
