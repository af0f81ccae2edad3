"""StoryBot's shipped configuration (YAML); ``DEFAULT_CONFIG`` is the file every run starts from."""

from pathlib import Path

DEFAULT_CONFIG = Path(__file__).resolve().parent / "default.yaml"
