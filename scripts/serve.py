"""Start the Streamlit server on app.py with st.navigation semantics from the very first run.

Streamlit treats a folder named pages/ beside the entry script as a legacy multipage app until a
script calls st.navigation; the first run of a process (and direct links to /budget etc.) would run
a page without the app.py frame. The flag is process-wide, so setting it before the server starts
fixes it for every session. (app.py keeps a fallback for `streamlit run app.py`.)

The upload limit comes from the JOBKPI_MAX_UPLOAD_MB setting (kpi/settings.py), its one home: the server's own
limit is set from it here, and the importer refuses anything larger whichever way the app was started.
"""

import sys
from pathlib import Path

from streamlit.runtime.pages_manager import PagesManager
from streamlit.web import cli

from kpi.settings import load_settings

PagesManager.uses_pages_directory = False
limit = ["--server.maxUploadSize", str(load_settings().max_upload_mb)]
sys.argv = ["streamlit", "run", str(Path(__file__).resolve().parent.parent / "app.py"), *limit, *sys.argv[1:]]
sys.exit(cli.main())
