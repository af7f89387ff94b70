"""What happens to the waiting object when its signature is done.

docs_office and one_stop register a function under a name and pass that name to
`signature_request_create`; signatures knows nothing else of them. The function runs inside the
transaction that marks the request signed or failed, so the waiting object and the request change
together or not at all.
"""

from collections.abc import Callable

_registry: dict[str, Callable] = {}


def register(name: str):
    def decorator(func: Callable) -> Callable:
        _registry[name] = func
        return func

    return decorator


def callback_run(request) -> None:
    if request.callback:
        try:
            func = _registry[request.callback]
        except KeyError:
            raise LookupError(f"no signature callback registered as {request.callback!r}") from None
        func(request)
