"""Flask extensions, created without an app and bound in create_app()."""
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect

from awards_app.core.models import Base

db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
# No storage_uri here: RATELIMIT_STORAGE_URI from the config decides (memory:// by default,
# Redis in production), and a constructor argument would silently override it.
limiter = Limiter(key_func=get_remote_address)
