"""A model's own fields, read from its _meta with the types the code relies on.

`Model._meta.get_field` is typed for anything a name may reach, reverse relations included, and a field's
max_length may be None; these say which the caller means, and fail loudly on a name that is not such a field.
"""

from django.core.exceptions import FieldDoesNotExist
from django.db.models import Field, Model


def own_field(model: type[Model], name: str) -> Field:
    """The field `name` stored on `model` (not a relation reaching it from another model)."""
    field = model._meta.get_field(name)
    if not isinstance(field, Field):
        raise FieldDoesNotExist(f"{model.__name__}.{name} is a relation from another model, not a field of its own")
    return field


def max_length(model: type[Model], name: str) -> int:
    """The most characters the text field `name` of `model` holds."""
    length = own_field(model, name).max_length
    if length is None:
        raise FieldDoesNotExist(f"{model.__name__}.{name} has no max_length")
    return length
