"""What happens to the waiting object when its signature is done.

docs_office and one_stop register a function under a name and pass that name to
`signature_request_create`; signatures knows nothing else of them. The function runs inside the
transaction that marks the request signed, failed or withdrawn, so the waiting object and the request
change together or not at all.

A request may be withdrawn unsigned (`signature_request_withdraw`) only when its callback says it
handles that (`withdrawable=True`): the waiting object must then go back to a step where someone can
act, never stay waiting for a signature that will not come.
"""

from collections.abc import Callable

_registry: dict[str, Callable] = {}
_withdrawable: set[str] = set()


def register(name: str, *, withdrawable: bool = False):
    def decorator(func: Callable) -> Callable:
        _registry[name] = func
        if withdrawable:
            _withdrawable.add(name)
        else:
            _withdrawable.discard(name)
        return func

    return decorator


def callback_withdrawable(name: str) -> bool:
    """Whether a request with this callback may be withdrawn: nothing waits (no callback), or the waiting object
    handles the withdrawal."""
    return not name or name in _withdrawable


def callback_run(request) -> None:
    if request.callback:
        try:
            func = _registry[request.callback]
        except KeyError:
            raise LookupError(f"no signature callback registered as {request.callback!r}") from None
        func(request)
