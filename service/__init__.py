"""The HTTP service: a thin Flask adapter over ``classifier``'s public API."""

from .app import create_app

__all__ = ["create_app"]
