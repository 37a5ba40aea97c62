"""What drf-spectacular cannot see in the views: every operation may answer with a
problem (RFC 9457), and every answer carries the rate-limit headers."""

from typing import Any

PROBLEM = {
    "type": "object",
    "description": "An error, as RFC 9457 problem details.",
    "properties": {
        "type": {"type": "string", "description": "`about:blank`: the status says it all."},
        "title": {"type": "string", "description": "The status's phrase."},
        "status": {"type": "integer"},
        "detail": {"type": "string", "description": "What went wrong."},
        "instance": {"type": "string", "description": "The path called."},
        "errors": {
            "type": "object",
            "description": "Refused values, by field (400 only).",
            "additionalProperties": {},
        },
    },
    "required": ["type", "title", "status", "detail"],
}

ERRORS = {
    "400": "A filter or a field was refused: `errors` names each.",
    "401": "No token where one is needed, or a token that is unknown, expired or revoked.",
    "403": "The token does not have the scope this operation needs.",
    "404": "Nothing with this address that the caller may see (or a cursor that is not one).",
    "406": "The caller does not accept JSON.",
    "429": "Too many calls this minute: `Retry-After` says when to call again.",
}

WRITE_ERRORS = {
    "409": "Refused, with the page's own reason (`detail`).",
    "415": "The body is not in a media type this operation reads.",
    "422": "The Idempotency-Key was already used for another request.",
}

NO_NUL = "^[^\\x00]*$"

PROBLEM_CONTENT = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
RETRY_AFTER = {"schema": {"type": "integer"}, "description": "Seconds to wait."}

RATE_HEADERS = {
    "RateLimit-Limit": "Calls allowed a minute.",
    "RateLimit-Remaining": "Calls left this minute.",
    "RateLimit-Reset": "Seconds until the count starts again.",
}


def add_problems(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    result.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM
    headers = {
        name: {"schema": {"type": "integer"}, "description": text}
        for name, text in RATE_HEADERS.items()
    }
    for operations in result.get("paths", {}).values():
        for method, operation in operations.items():
            for parameter in operation.get("parameters", []):
                schema = parameter["schema"]
                if not schema:  # a filter by method (the catalogue's): a text
                    schema["type"] = "string"
                if schema.get("type") == "string" and "enum" not in schema:
                    schema["pattern"] = NO_NUL  # refused before any view (echohub.middleware)
            responses = operation.setdefault("responses", {})
            for status, text in {**ERRORS, **(WRITE_ERRORS if method == "post" else {})}.items():
                responses.setdefault(status, {"description": text})
            for status, answer in responses.items():
                answer.setdefault("headers", {}).update(headers)
                if int(status) >= 400:
                    answer.setdefault("content", PROBLEM_CONTENT)
                if status == "429":
                    answer["headers"]["Retry-After"] = RETRY_AFTER
    return result
