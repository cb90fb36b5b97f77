"""Errors a facilitator can act on: each names the file or thing and the place of the problem."""


class WatError(Exception):
    """A problem with what the user asked for or gave us; the CLI prints it as one line and exits 1."""


class NotFound(WatError):
    pass


class Ambiguous(WatError):
    pass
