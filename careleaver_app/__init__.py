"""Care Leaver Tracker."""

__version__ = "0.1.0"
