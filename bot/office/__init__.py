"""Content packs for any health office: `python -m bot office new --region CODE`."""
