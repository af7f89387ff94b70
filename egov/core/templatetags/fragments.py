"""`{% fragment "name" value… %}…{% endfragment %}`: a part of a page rendered once per distinct set of values.

For the layouts' parts that depend only on the language or on facts loaded with the signed-in user (the
header, the staff menu, the footer): they are the same on thousands of pages, and rendering them again
(url reversals, translations, static file names) cost a good share of a light page. Every value the
part shows must be among the values named in the tag, so a cached rendering is never stale; no TTL.

Unlike Django's `{% cache %}` this keeps the rendered text in a plain dict of the process (no key
hashing, pickling or locking: a light page holds half a dozen of these), cleared when it grows past
MAX_FRAGMENTS; with DEBUG on nothing is kept, so template edits show at once.
"""

from django import template
from django.conf import settings

register = template.Library()

MAX_FRAGMENTS = 20_000
_rendered: dict[tuple, str] = {}


def clear() -> None:
    _rendered.clear()


class FragmentNode(template.Node):
    def __init__(self, nodelist, name: str, values):
        self.nodelist, self.name, self.values = nodelist, name, values

    def render(self, context):
        key = (self.name, *(str(value.resolve(context)) for value in self.values))
        text = _rendered.get(key)
        if text is None:
            text = self.nodelist.render(context)
            if not settings.DEBUG:
                if len(_rendered) >= MAX_FRAGMENTS:
                    _rendered.clear()
                _rendered[key] = text
        return text


@register.tag("fragment")
def do_fragment(parser, token):
    bits = token.split_contents()
    if len(bits) < 2 or bits[1][0] not in "\"'" or bits[1][-1] != bits[1][0]:
        raise template.TemplateSyntaxError("{% fragment %} takes a quoted name, then the values it depends on.")
    nodelist = parser.parse(("endfragment",))
    parser.delete_first_token()
    return FragmentNode(nodelist, bits[1][1:-1], [parser.compile_filter(bit) for bit in bits[2:]])
