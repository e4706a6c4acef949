"""Start the Streamlit server on app.py with st.navigation semantics from the very first run.

Streamlit treats a folder named pages/ beside the entry script as a legacy multipage app until a
script calls st.navigation; the first run of a process (and direct links to /budget etc.) would run
a page without the app.py frame. The flag is process-wide, so setting it before the server starts
fixes it for every session. (app.py keeps a fallback for `streamlit run app.py`.)

The upload limits come from the JOBKPI_MAX_UPLOAD_MB and JOBKPI_LOFIN_MAX_UPLOAD_MB settings (kpi/settings.py),
their one home: the server's own limit is set here to the larger (a national 지방재정365 CSV), and the importer
refuses anything larger than its format's limit whichever way the app was started.
"""

import sys
from pathlib import Path

from streamlit.runtime.pages_manager import PagesManager
from streamlit.web import cli

from kpi.settings import load_settings

PagesManager.uses_pages_directory = False
settings = load_settings()
limit = ["--server.maxUploadSize", str(max(settings.max_upload_mb, settings.lofin_max_upload_mb))]
sys.argv = ["streamlit", "run", str(Path(__file__).resolve().parent.parent / "app.py"), *limit, *sys.argv[1:]]
sys.exit(cli.main())
