"""One JSON error shape for the whole API: ``{"ok": false, "error": ..., "status": ...}``."""

from flask import jsonify


class ApiError(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status, self.message = status, message


def error_body(status: int, message: str) -> dict:
    return {"ok": False, "error": message, "status": status}


def error_response(status: int, message: str):
    response = jsonify(error_body(status, message))
    response.status_code = status
    return response
