"""Presentation shared by every front end: the same answer, citations and wording everywhere."""
