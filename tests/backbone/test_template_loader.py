from django.template import engines
from django.template.loaders.cached import Loader as CachedLoader
from template_partials.loader import Loader as PartialsLoader


def test_templates_are_compiled_once_per_process():
    # No "loaders" option: django-template-partials wraps Django's default, the cached
    # loader around the file and app loaders, in production as in development.
    (outer,) = engines["django"].engine.template_loaders
    assert isinstance(outer, PartialsLoader)
    assert [type(loader) for loader in outer.loaders] == [CachedLoader]
