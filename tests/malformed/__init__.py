"""The malformed-input suite: broken copies of every data file, and bad options."""
