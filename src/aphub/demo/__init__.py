"""The fictional demo LAs that `make run` serves and the tests read (`aphub demo`): not part of the product's data."""
