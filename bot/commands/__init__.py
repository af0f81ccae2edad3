"""One module per ``storybot`` sub-command."""
