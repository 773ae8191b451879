"""Data functions: one per page, each feeding both the HTML page and its JSON twin.

A data function takes the page's parsed arguments, reads the request's pinned generation
(``webapp.context``) and returns plain JSON-ready values; the view renders them with a
template or as JSON, nothing else.
"""
