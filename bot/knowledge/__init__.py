"""The content store: files in content/ -> one validated, immutable Content."""
