"""Tag (2018-08-13): the tags of SCF functions."""
