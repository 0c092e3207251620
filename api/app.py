"""The application factory: ``create_app(settings)`` -> Litestar."""

from __future__ import annotations

from pathlib import Path

from litestar import Litestar
from litestar.config.cors import CORSConfig
from litestar.openapi.config import OpenAPIConfig
from litestar.openapi.plugins import JsonRenderPlugin, SwaggerRenderPlugin, YamlRenderPlugin
from litestar.openapi.spec import Components, SecurityScheme, Tag
from litestar.static_files import create_static_files_router
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.template.config import TemplateConfig

from api.auth import role_guard
from api.controllers.analysis import AnalysisController, TraceController
from api.controllers.intake import IntakeController
from api.controllers.quotes import QuoteController
from api.controllers.renditions import DerivationController, RenditionController
from api.controllers.system import SystemController
from api.db import Database
from api.deps import DEPENDENCIES
from api.edge import edge_checks, security_headers
from api.errors import EXCEPTION_HANDLERS
from api.examples import add_examples
from api.openapi import add_links, close_input_objects, document_export_types, document_problems
from api.pages import IntakePages, PageController, template_globals
from api.ratelimit import RateLimiter, make_store
from provenance import __version__
from provenance.settings import Settings

STATIC = Path(__file__).parent / "static"
MAX_BODY = 1024 * 1024  # 1 MiB; larger bodies get 413


def create_app(settings: Settings | None = None) -> Litestar:
    """The service; ``settings`` default to the environment's (a wrong value stops it with one line per value)."""
    settings = settings or Settings.from_env()
    db = Database(settings)
    openapi = OpenAPIConfig(
        title="Quote provenance API",
        version=__version__,
        description=("Trace a quote back through its chain of translations and republications, and see what "
                     "changed at each hop. Machine findings and translations are always labelled as machine-made."),
        path="/schema",
        tags=[Tag(name="quotes"), Tag(name="renditions"), Tag(name="derivations"), Tag(name="analysis"),
              Tag(name="trace"), Tag(name="audit"), Tag(name="system")],
        components=Components(security_schemes={"bearer": SecurityScheme(type="http", scheme="bearer",
                                                                         description="API key")}),
        render_plugins=[
            SwaggerRenderPlugin(path="/", js_url="/static/swagger/swagger-ui-bundle.js",
                                css_url="/static/swagger/swagger-ui.css",
                                standalone_preset_js_url="/static/swagger/swagger-ui-standalone-preset.js",
                                favicon=""),
            JsonRenderPlugin(), YamlRenderPlugin(),
        ],
    )
    rate_limit = RateLimiter(limit=settings.rate_limit_per_minute, exclude=("/schema", "/static", "/health"),
                             trusted_proxies=settings.trusted_proxies, store=make_store(settings.rate_limit_store))
    controllers = [SystemController, QuoteController, RenditionController, DerivationController, AnalysisController,
                   TraceController, IntakeController]
    document_problems(*controllers)
    app = Litestar(
        route_handlers=[*controllers, PageController, IntakePages,
                        create_static_files_router(path="/static", directories=[STATIC], opt={"role": "public"},
                                                   include_in_schema=False)],
        dependencies=DEPENDENCIES,
        guards=[role_guard],
        exception_handlers=EXCEPTION_HANDLERS,
        openapi_config=openapi,
        template_config=TemplateConfig(directory=Path(__file__).parent / "templates", engine=JinjaTemplateEngine,
                                       engine_callback=template_globals),
        request_max_body_size=MAX_BODY,
        middleware=[rate_limit.middleware, edge_checks],
        before_send=[security_headers],
        cors_config=CORSConfig(allow_origins=list(settings.cors_origins)) if settings.cors_origins else None,
        on_shutdown=[db.dispose, rate_limit.close],
        debug=False,
    )
    close_input_objects(app)
    add_examples(app)
    document_export_types(app)
    add_links(app)
    app.state.settings = settings
    app.state.db = db
    return app
