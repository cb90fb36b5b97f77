"""Moving reviews in and out: session bundles and merging, and the Markdown/HTML report."""
