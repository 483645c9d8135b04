"""strata.Error, registered with the native module so that every error it
raises has this type."""

from . import _strata


class Error(ValueError):
    """An error reported by Strata: the message carries MLIR's diagnostics."""


_strata._set_error_type(Error)
