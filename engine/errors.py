"""Errors the engine raises for bad input: each carries one sentence a user can act on."""


class KernelscopeError(ValueError):
    """Base class: ``str(error)`` is a complete, user-facing message."""


class OptionsError(KernelscopeError):
    """A kernel, weight, border, output range or pooling option is not valid."""


class ImageError(KernelscopeError):
    """An image file or array cannot be used (missing, corrupt, unsupported, empty)."""


class ImageTooLargeError(ImageError):
    """The image has more pixels than Kernelscope opens; it may be downscaled to fit."""

    def __init__(self, message: str, width: int, height: int, factor: int | None):
        super().__init__(message)
        self.width = width
        self.height = height
        #: integer factor that brings the image under the limit, or None if it is too big even to downscale
        self.factor = factor


class LabModeError(OptionsError):
    """Lab mode was asked to do something the notebook's loops cannot do (engine.lab_rules)."""


class SessionError(KernelscopeError):
    """A session or preset file is malformed, of a newer version, or holds wrong types."""


class JobCancelled(Exception):
    """Raised inside a job when its cancel flag is set; not an error the user needs to see."""
