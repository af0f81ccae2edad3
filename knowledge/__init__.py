"""StoryBot's answer engine: cited, verbatim answers from a story's articles (no Discord here)."""
