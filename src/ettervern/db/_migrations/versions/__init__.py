"""One module per schema revision; each is frozen once released: it never imports the current
schema, so that it keeps upgrading registers written by that release."""
