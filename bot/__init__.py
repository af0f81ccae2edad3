"""StoryBot's front ends: the ``storybot`` command line, the console adapter and the Discord bot."""

__version__ = "0.1.0"
