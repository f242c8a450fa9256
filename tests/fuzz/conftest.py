# The access tests' World, built once per module: the walks open side Y's pages with its objects.
from tests.access.conftest import world, world_of_the_module

__all__ = ["world", "world_of_the_module"]
