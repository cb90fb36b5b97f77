"""Moving reviews in and out: session bundles (export, import, merge), conflicts, and the Markdown/HTML report.

Everything the Merge and Conflicts screens do is a plain function here, so a test can do it without a screen:
``bundle.write_bundle`` / ``bundle.read_bundle``, ``merge.preview`` / ``merge.merge_files``, and
``conflicts.open_conflicts`` with ``keep_value`` / ``keep_both`` / ``write_value``.
"""
