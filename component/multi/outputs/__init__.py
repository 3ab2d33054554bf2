"""Reading instances' deploy outputs back for ``${output:...}`` (see ``resolve``)."""
