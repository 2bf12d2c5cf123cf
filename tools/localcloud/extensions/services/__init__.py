"""One module per AWS service; every module here is imported when the local cloud starts."""
