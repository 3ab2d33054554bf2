"""API Gateway (2018-08-08): services, APIs, releases, and released stages served over HTTP."""
