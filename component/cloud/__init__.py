"""The cloud adapter: ``api`` (typed operations, no SDK import), ``sdk`` (the only module that imports the
official Tencent Cloud SDK), and ``credentials``."""
