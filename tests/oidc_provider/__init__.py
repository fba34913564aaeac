"""A real OpenID provider for the tests (django-oauth-toolkit), as a tiny Django
project of its own: ``serve`` prepares and starts it on 127.0.0.1
(``tests.oidc_provider.process.ProviderProcess``)."""
